# class: formula syntax; factor( never closed: exit 2, expected ')' after the variable in factor()
cp "$DATA/learners.csv" .
"$ATTRIB" ols learners.csv --formula 'sales ~ factor(role' -o out.txt
code=$?
ls out.* 2>/dev/null || echo "no output file"
exit $code
