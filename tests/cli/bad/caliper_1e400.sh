# class: option range; psm --caliper 1e400 (overflows to inf): exit 2, expects a number
cp "$DATA/learners.csv" .
"$ATTRIB" psm learners.csv --treat trained --outcome sales --covariates tenure --caliper 1e400 -o out.json
code=$?
ls out.* 2>/dev/null || echo "no output file"
exit $code
