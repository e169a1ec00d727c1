# class: option value; analyze --by role with --value-per-unit-by naming a level not in it: exit 2 naming the level, no report
cp "$DATA/learners.csv" .
"$ATTRIB" analyze learners.csv --outcome sales --treat trained --covariates tenure --methods ols --by role \
  --cost program=50000 --value-per-unit-by Director=150,Intern=10 -q --format json -o out.json
code=$?
ls out.* 2>/dev/null || echo "no output file"
exit $code
