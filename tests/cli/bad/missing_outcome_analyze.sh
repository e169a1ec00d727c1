# class: missing column; analyze --outcome naming no column: exit 1 naming it (outcome), no report
cp "$DATA/learners.csv" .
"$ATTRIB" analyze learners.csv --outcome sale --treat trained --covariates tenure -o out.txt --report out.html
code=$?
ls out.* 2>/dev/null || echo "no output file"
exit $code
