# class: missing column; psm --exact naming no column: exit 1 naming it as an exact-matching column (it was labelled "(cluster)")
cp "$DATA/learners.csv" .
"$ATTRIB" psm learners.csv --treat trained --outcome sales --covariates tenure --exact regio -o out.json
code=$?
ls out.* 2>/dev/null || echo "no output file"
exit $code
