# class: missing column; a psm --covariates item that is not a column: exit 1 naming it
cp "$DATA/learners.csv" .
"$ATTRIB" psm learners.csv --treat trained --outcome sales --covariates tenure,engagment -o out.json
code=$?
ls out.* 2>/dev/null || echo "no output file"
exit $code
