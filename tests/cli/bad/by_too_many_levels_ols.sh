# class: subgroups; ols --by team (80 levels): exit 1, more than 50
cp "$DATA/learners.csv" .
"$ATTRIB" ols learners.csv --formula "sales ~ trained + tenure" --treat trained --by team -o out.txt
code=$?
ls out.* 2>/dev/null || echo "no output file"
exit $code
