# class: one-level cluster; psm weighting bootstrap clustered on a single-value column: exit 1, one cluster, nothing to perturb
cp "$DATA/learners.csv" .
awk -F, 'BEGIN { OFS = "," } NR == 1 { print $0 ",one"; next } { print $0 ",A" }' learners.csv >one.csv
"$ATTRIB" psm one.csv --treat trained --outcome sales --covariates tenure --method ipw --bootstrap 99 --seed 1 --cluster one -o out.json
code=$?
ls out.* 2>/dev/null || echo "no output file"
exit $code
