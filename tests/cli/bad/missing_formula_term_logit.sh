# class: missing column; a logit formula term that is not a column: exit 1 naming it with a caret
cp "$DATA/learners.csv" .
"$ATTRIB" logit learners.csv --formula 'churned ~ trained + tenur' -o out.txt
code=$?
ls out.* 2>/dev/null || echo "no output file"
exit $code
