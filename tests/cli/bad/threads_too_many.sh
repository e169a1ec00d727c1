# class: option range; psm --threads 5000: exit 2, at most 1024
cp "$DATA/learners.csv" .
"$ATTRIB" psm learners.csv --treat trained --outcome sales --covariates tenure --threads 5000 -o out.json
code=$?
ls out.* 2>/dev/null || echo "no output file"
exit $code
