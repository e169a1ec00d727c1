# class: output target; analyze --report into a missing folder: exit 1 naming it, no out.txt either
cp "$DATA/learners.csv" .
"$ATTRIB" analyze learners.csv --outcome sales --treat trained --covariates tenure -o out.txt --report missing/r.html
code=$?
ls out.* 2>/dev/null || echo "no output file"
exit $code
