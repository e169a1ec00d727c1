# class: missing column; psm --id naming no column: exit 1 naming it (id)
cp "$DATA/learners.csv" .
"$ATTRIB" psm learners.csv --treat trained --outcome sales --covariates tenure --id learner --matches out.csv
code=$?
ls out.* 2>/dev/null || echo "no output file"
exit $code
