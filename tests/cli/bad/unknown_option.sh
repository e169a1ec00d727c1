# class: usage; psm --calliper (a typo): exit 2, unknown option
cp "$DATA/learners.csv" .
"$ATTRIB" psm learners.csv --treat trained --outcome sales --covariates tenure --calliper 0.2 -o out.json
code=$?
ls out.* 2>/dev/null || echo "no output file"
exit $code
