# class: formula syntax; a backquoted name never closed: exit 2, unterminated backquote
cp "$DATA/learners.csv" .
"$ATTRIB" ols learners.csv --formula 'sales ~ `trained' -o out.txt
code=$?
ls out.* 2>/dev/null || echo "no output file"
exit $code
