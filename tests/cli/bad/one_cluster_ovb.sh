# class: one-level cluster; sensitivity ovb --cluster on a single-value column: exit 1, need at least two
cp "$DATA/learners.csv" .
awk -F, 'BEGIN { OFS = "," } NR == 1 { print $0 ",one"; next } { print $0 ",A" }' learners.csv >one.csv
"$ATTRIB" sensitivity ovb one.csv --formula 'sales ~ trained + tenure' --treat trained --cluster one -o out.txt
code=$?
ls out.* 2>/dev/null || echo "no output file"
exit $code
