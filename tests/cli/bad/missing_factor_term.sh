# class: missing column; factor() of a column that does not exist: exit 1 naming it with a caret
cp "$DATA/learners.csv" .
"$ATTRIB" ols learners.csv --formula 'sales ~ trained + factor(rol)' -o out.txt
code=$?
ls out.* 2>/dev/null || echo "no output file"
exit $code
