# class: flag combination; roi --from a psm fit of two outcomes (its top-level effect is the first's) without --outcome: exit 2 naming the outcomes, not the first one valued
cp "$DATA/learners.csv" .
"$ATTRIB" psm learners.csv --treat trained --outcome sales,churned --covariates tenure -q --format json -o fit.json
"$ATTRIB" roi --from fit.json --learners 500 --cost program=50000 -o out.txt
code=$?
ls out.* 2>/dev/null || echo "no output file"
exit $code
