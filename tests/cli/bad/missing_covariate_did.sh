# class: missing column; a 2x2 did --covariates item that is not a column: exit 1 naming it
cp "$DATA/learners.csv" .
"$ATTRIB" did learners.csv --outcome sales --treat trained --post remote --covariates tenur -o out.json
code=$?
ls out.* 2>/dev/null || echo "no output file"
exit $code
