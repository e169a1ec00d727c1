# class: missing column; sensitivity rosenbaum --id naming no column: exit 1 naming it (id)
cp "$DATA/learners.csv" .
"$ATTRIB" sensitivity rosenbaum learners.csv --treat trained --outcome sales --covariates tenure --id learner -o out.txt
code=$?
ls out.* 2>/dev/null || echo "no output file"
exit $code
