# class: missing column; psm --treat naming no column: exit 1 naming it as the treatment (it was labelled "(outcome)")
cp "$DATA/learners.csv" .
"$ATTRIB" psm learners.csv --treat traind --outcome sales --covariates tenure -o out.json
code=$?
ls out.* 2>/dev/null || echo "no output file"
exit $code
