# class: one-level cluster; logit --cluster on a column with a single value: exit 1, cluster-robust standard errors need at least two
cp "$DATA/learners.csv" .
awk -F, 'BEGIN { OFS = "," } NR == 1 { print $0 ",one"; next } { print $0 ",A" }' learners.csv >one.csv
"$ATTRIB" logit one.csv --formula 'churned ~ trained' --cluster one -o out.txt
code=$?
ls out.* 2>/dev/null || echo "no output file"
exit $code
