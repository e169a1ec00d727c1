# class: formula syntax; no '~': exit 2, expected '~' after the outcome, with a caret
cp "$DATA/learners.csv" .
"$ATTRIB" ols learners.csv --formula 'sales trained' -o out.txt
code=$?
ls out.* 2>/dev/null || echo "no output file"
exit $code
