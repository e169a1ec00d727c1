# class: one-level cluster; 2x2 did --cluster on a single-value column: exit 1, need at least two
cp "$DATA/learners.csv" .
awk -F, 'BEGIN { OFS = "," } NR == 1 { print $0 ",one"; next } { print $0 ",A" }' learners.csv >one.csv
"$ATTRIB" did one.csv --outcome sales --treat trained --post remote --cluster one -o out.json
code=$?
ls out.* 2>/dev/null || echo "no output file"
exit $code
