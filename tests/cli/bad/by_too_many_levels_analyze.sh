# class: subgroups; analyze --by team (80 levels): exit 1, more than 50
cp "$DATA/learners.csv" .
"$ATTRIB" analyze learners.csv --outcome sales --treat trained --covariates "tenure,prior_perf" --by team -o out.txt
code=$?
ls out.* 2>/dev/null || echo "no output file"
exit $code
