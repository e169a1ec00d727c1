# class: option range; psm --ratio 1001: exit 2, at most 1000
cp "$DATA/learners.csv" .
"$ATTRIB" psm learners.csv --treat trained --outcome sales --covariates tenure --ratio 1001 -o out.json
code=$?
ls out.* 2>/dev/null || echo "no output file"
exit $code
