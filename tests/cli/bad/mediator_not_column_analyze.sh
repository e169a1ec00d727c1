# class: missing column; analyze --mediator naming no column: exit 1 naming it (mediator), no output
cp "$DATA/learners.csv" .
"$ATTRIB" analyze learners.csv --outcome sales --treat trained --covariates tenure --mediator training_hour -o out.txt
code=$?
ls out.* 2>/dev/null || echo "no output file"
exit $code
