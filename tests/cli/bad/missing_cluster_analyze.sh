# class: missing column; analyze --cluster naming no column (OLS was "not estimated" and the rest unclustered): exit 1 naming it (cluster)
cp "$DATA/learners.csv" .
"$ATTRIB" analyze learners.csv --outcome sales --treat trained --covariates tenure --cluster tem -o out.txt
code=$?
ls out.* 2>/dev/null || echo "no output file"
exit $code
