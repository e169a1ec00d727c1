# class: ragged rows; psm reading a ragged CSV from standard input: exit 1 naming <stdin> and the line
{ head -50 "$DATA/learners.csv"; echo '50,7,North'; tail -n +51 "$DATA/learners.csv"; } |
  "$ATTRIB" psm - --treat trained --outcome sales --covariates tenure -o out.json
code=$?
ls out.* 2>/dev/null || echo "no output file"
exit $code
