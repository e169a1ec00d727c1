# class: option range; psm --order random --seed 1.5: exit 2, expects a whole number
cp "$DATA/learners.csv" .
"$ATTRIB" psm learners.csv --treat trained --outcome sales --covariates tenure --order random --seed 1.5 -o out.json
code=$?
ls out.* 2>/dev/null || echo "no output file"
exit $code
