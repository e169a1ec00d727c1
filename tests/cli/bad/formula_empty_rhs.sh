# class: formula syntax; nothing after '~': exit 2, expected a variable name, found the end of the formula
cp "$DATA/learners.csv" .
"$ATTRIB" ols learners.csv --formula 'sales ~ ' -o out.txt
code=$?
ls out.* 2>/dev/null || echo "no output file"
exit $code
