# class: option range; analyze --pilot-n 2 (no test has degrees of freedom with 2 learners): exit 2 naming --pilot-n, no output
cp "$DATA/learners.csv" .
"$ATTRIB" analyze learners.csv --outcome sales --treat trained --covariates tenure --pilot-n 2 -o out.txt
code=$?
ls out.* 2>/dev/null || echo "no output file"
exit $code
