# class: usage; ols --stats-out on a CSV file (no --pushdown, no --from-stats): exit 2
cp "$DATA/learners.csv" .
"$ATTRIB" ols learners.csv --formula "sales ~ trained" --stats-out s.json -o out.txt
code=$?
ls out.* s.json 2>/dev/null || echo "no output file"
exit $code
