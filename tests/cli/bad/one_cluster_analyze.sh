# class: one-level cluster; analyze --cluster on a single-value column: exit 1 (one cluster), not OLS "not estimated", unclustered PSM/AIPW and an E-value of nan with exit 0
cp "$DATA/learners.csv" .
awk -F, 'BEGIN { OFS = "," } NR == 1 { print $0 ",one"; next } { print $0 ",A" }' learners.csv >one.csv
"$ATTRIB" analyze one.csv --outcome sales --treat trained --covariates tenure --cluster one -o out.txt --report out.html
code=$?
ls out.* 2>/dev/null || echo "no output file"
exit $code
