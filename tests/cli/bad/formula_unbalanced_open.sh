# class: formula syntax; '(' never closed: exit 2, expected ')' with a caret at the end
cp "$DATA/learners.csv" .
"$ATTRIB" ols learners.csv --formula 'sales ~ (trained + tenure' -o out.txt
code=$?
ls out.* 2>/dev/null || echo "no output file"
exit $code
