# class: missing column; an analyze --covariates item that is not a column: exit 1 naming it (covariate)
cp "$DATA/learners.csv" .
"$ATTRIB" analyze learners.csv --outcome sales --treat trained --covariates 'tenur,factor(role)' -o out.txt
code=$?
ls out.* 2>/dev/null || echo "no output file"
exit $code
