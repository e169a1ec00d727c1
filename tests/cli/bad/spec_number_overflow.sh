# class: JSON spec; "learners": 1e400 in analyze's spec: exit 1 naming the file, line and column, real number overflow
cp "$DATA/learners.csv" .
printf '{"learners": 1e400}' >s.json
"$ATTRIB" analyze learners.csv --outcome sales --treat trained --covariates tenure --spec s.json -o out.txt
code=$?
ls out.* 2>/dev/null || echo "no output file"
exit $code
