# class: missing column; psm --outcome naming no column: exit 1 naming it (outcome)
cp "$DATA/learners.csv" .
"$ATTRIB" psm learners.csv --treat trained --outcome sale --covariates tenure -o out.json
code=$?
ls out.* 2>/dev/null || echo "no output file"
exit $code
