# class: formula syntax; a psm --covariates item 'factor(role' never closed: a one-line error naming the item, not a crash
cp "$DATA/learners.csv" .
"$ATTRIB" psm learners.csv --treat trained --outcome sales --covariates 'tenure,factor(role' -o out.json
code=$?
ls out.* 2>/dev/null || echo "no output file"
exit $code
