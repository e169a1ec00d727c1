# class: subgroups; ols --by-bins 4 without --by: exit 2
cp "$DATA/learners.csv" .
"$ATTRIB" ols learners.csv --formula "sales ~ trained" --treat trained --by-bins 4 -o out.txt
code=$?
ls out.* 2>/dev/null || echo "no output file"
exit $code
