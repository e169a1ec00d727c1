# class: JSON spec; "value_per_unit": "abc" in analyze's spec: exit 1 naming the file and key (not the --value-per-unit flag the user never gave)
cp "$DATA/learners.csv" .
printf '{"value_per_unit": "abc"}\n' >s.json
"$ATTRIB" analyze learners.csv --outcome sales --treat trained --covariates tenure --spec s.json -o out.txt
code=$?
ls out.* 2>/dev/null || echo "no output file"
exit $code
