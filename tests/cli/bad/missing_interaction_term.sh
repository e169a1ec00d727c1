# class: missing column; the second half of an interaction a:b does not exist: exit 1 naming it with a caret
cp "$DATA/learners.csv" .
"$ATTRIB" ols learners.csv --formula 'sales ~ trained + tenure:engagment' -o out.txt
code=$?
ls out.* 2>/dev/null || echo "no output file"
exit $code
