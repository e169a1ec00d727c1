# class: JSON spec; analyze --spec with "learners": null: exit 1 naming the file and key, got null, no report
cp "$DATA/learners.csv" .
printf '{"learners": null}\n' >s.json
"$ATTRIB" analyze learners.csv --outcome sales --treat trained --covariates tenure --spec s.json -o out.txt --report out.html
code=$?
ls out.* 2>/dev/null || echo "no output file"
exit $code
