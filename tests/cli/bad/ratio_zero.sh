# class: option range; psm --ratio 0: exit 2, must be at least 1
cp "$DATA/learners.csv" .
"$ATTRIB" psm learners.csv --treat trained --outcome sales --covariates tenure --ratio 0 -o out.json
code=$?
ls out.* 2>/dev/null || echo "no output file"
exit $code
