# class: option range; psm --caliper -1: exit 2, must be positive
cp "$DATA/learners.csv" .
"$ATTRIB" psm learners.csv --treat trained --outcome sales --covariates tenure --caliper -1 -o out.json
code=$?
ls out.* 2>/dev/null || echo "no output file"
exit $code
