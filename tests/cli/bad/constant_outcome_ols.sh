# class: constant outcome; ols on an outcome of 50 in every row (NaN SEs and -nan R2 before): exit 1, no variation to explain
cp "$DATA/learners.csv" .
awk -F, 'BEGIN { OFS = "," } NR > 1 { $19 = 50 } { print }' learners.csv >c.csv
"$ATTRIB" ols c.csv --formula 'sales ~ trained + tenure' -o out.txt
code=$?
ls out.* 2>/dev/null || echo "no output file"
exit $code
