# class: option range; analyze --bootstrap 99.5: exit 2, expects a whole number
cp "$DATA/learners.csv" .
"$ATTRIB" analyze learners.csv --outcome sales --treat trained --covariates tenure --bootstrap 99.5 --seed 1 -o out.txt
code=$?
ls out.* 2>/dev/null || echo "no output file"
exit $code
