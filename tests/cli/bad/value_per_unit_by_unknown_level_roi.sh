# class: option value; roi --from a fit with --by role and --value-per-unit-by naming a level not in it: exit 2 naming the level and the levels
cp "$DATA/learners.csv" .
"$ATTRIB" ols learners.csv --formula "sales ~ trained + tenure" --treat trained --by role -q --format json -o fit.json
"$ATTRIB" roi --from fit.json --learners 500 --cost program=50000 --value-per-unit-by Directr=150 -o out.txt
code=$?
ls out.* 2>/dev/null || echo "no output file"
exit $code
