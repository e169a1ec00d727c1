# class: subgroups; psm --by role --matches m.csv: exit 2
cp "$DATA/learners.csv" .
"$ATTRIB" psm learners.csv --treat trained --outcome sales --covariates tenure --by role --matches m.csv -o out.txt
code=$?
ls out.* 2>/dev/null || echo "no output file"
exit $code
