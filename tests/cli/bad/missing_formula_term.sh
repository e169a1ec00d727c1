# class: missing column; a formula term that is not a column: exit 1 naming the term (formula term), a suggestion and a caret
cp "$DATA/learners.csv" .
"$ATTRIB" ols learners.csv --formula 'sales ~ trained + tenur' -o out.txt
code=$?
ls out.* 2>/dev/null || echo "no output file"
exit $code
