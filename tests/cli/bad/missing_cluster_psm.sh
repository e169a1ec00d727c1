# class: missing column; psm weighting bootstrap --cluster naming no column: exit 1 naming it (cluster)
cp "$DATA/learners.csv" .
"$ATTRIB" psm learners.csv --treat trained --outcome sales --covariates tenure --method ipw --bootstrap 99 --seed 1 --cluster tem -o out.json
code=$?
ls out.* 2>/dev/null || echo "no output file"
exit $code
