# class: constant outcome; logit on an outcome 0 in every row: exit 1, nothing to model
cp "$DATA/learners.csv" .
awk -F, 'BEGIN { OFS = "," } NR > 1 { $20 = 0 } { print }' learners.csv >c.csv
"$ATTRIB" logit c.csv --formula 'churned ~ trained' -o out.txt
code=$?
ls out.* 2>/dev/null || echo "no output file"
exit $code
