# class: missing column; analyze --treat naming no column: exit 1 naming it (treatment), no report
cp "$DATA/learners.csv" .
"$ATTRIB" analyze learners.csv --outcome sales --treat traind --covariates tenure -o out.txt --report out.html
code=$?
ls out.* 2>/dev/null || echo "no output file"
exit $code
