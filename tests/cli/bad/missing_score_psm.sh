# class: missing column; psm --score naming no column: exit 1 naming it (score)
cp "$DATA/learners.csv" .
"$ATTRIB" psm learners.csv --treat trained --outcome sales --score ps -o out.json
code=$?
ls out.* 2>/dev/null || echo "no output file"
exit $code
