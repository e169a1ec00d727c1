# class: subgroups; analyze --by-cuts 2 without --by: exit 2
cp "$DATA/learners.csv" .
"$ATTRIB" analyze learners.csv --outcome sales --treat trained --covariates "tenure,prior_perf" --by-cuts 2 -o out.txt
code=$?
ls out.* 2>/dev/null || echo "no output file"
exit $code
