# class: option combination; analyze --outcome sales,churned,sales (a KPI listed twice): exit 2 naming it, no output
cp "$DATA/learners.csv" .
"$ATTRIB" analyze learners.csv --outcome sales,churned,sales --treat trained --covariates tenure -o out.txt
code=$?
ls out.* 2>/dev/null || echo "no output file"
exit $code
