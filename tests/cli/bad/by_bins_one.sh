# class: subgroups; ols --by tenure --by-bins 1: exit 2
cp "$DATA/learners.csv" .
"$ATTRIB" ols learners.csv --formula "sales ~ trained" --treat trained --by tenure --by-bins 1 -o out.txt
code=$?
ls out.* 2>/dev/null || echo "no output file"
exit $code
