# class: needs the table in memory; psm --stream (matching reads rows at random): exit 2, says how much memory
cp "$DATA/learners.csv" .
"$ATTRIB" psm learners.csv --treat trained --outcome sales --covariates "tenure,prior_perf" --stream -o out.txt
code=$?
ls out.* 2>/dev/null || echo "no output file"
exit $code
