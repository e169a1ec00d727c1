# class: constant outcome; an outcome scaled to ~1e300, whose squares overflow (inf SEs before): exit 1 saying to rescale it
cp "$DATA/learners.csv" .
awk -F, 'BEGIN { OFS = "," } NR > 1 { $19 = $19 * 1e300 } { print }' learners.csv >c.csv
"$ATTRIB" ols c.csv --formula 'sales ~ trained + tenure' -o out.txt
code=$?
ls out.* 2>/dev/null || echo "no output file"
exit $code
