# class: subgroups; ols --by rol (a typo): exit 1, the nearest name
cp "$DATA/learners.csv" .
"$ATTRIB" ols learners.csv --formula "sales ~ trained" --treat trained --by rol -o out.txt
code=$?
ls out.* 2>/dev/null || echo "no output file"
exit $code
