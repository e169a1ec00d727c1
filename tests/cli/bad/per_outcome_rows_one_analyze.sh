# class: option combination; analyze --per-outcome-rows with one --outcome: exit 2, it goes with several KPIs
cp "$DATA/learners.csv" .
"$ATTRIB" analyze learners.csv --outcome sales --per-outcome-rows --treat trained --covariates tenure -o out.txt
code=$?
ls out.* 2>/dev/null || echo "no output file"
exit $code
