# class: JSON spec; a switch given the string "true" rather than the boolean: exit 1 naming the file and key
cp "$DATA/learners.csv" .
printf '{"outcome": "sales,churned", "treat": "trained", "covariates": "tenure", "per_outcome_rows": "true"}\n' >s.json
"$ATTRIB" analyze learners.csv --spec s.json -o out.txt
code=$?
ls out.* 2>/dev/null || echo "no output file"
exit $code
