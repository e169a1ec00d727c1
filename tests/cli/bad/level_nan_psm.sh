# class: option range; psm --level nan: exit 2, expects a number
cp "$DATA/learners.csv" .
"$ATTRIB" psm learners.csv --treat trained --outcome sales --covariates tenure --level nan -o out.json
code=$?
ls out.* 2>/dev/null || echo "no output file"
exit $code
