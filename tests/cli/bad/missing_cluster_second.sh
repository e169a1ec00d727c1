# class: missing column; the second of two --cluster columns does not exist: exit 1 naming it
cp "$DATA/learners.csv" .
"$ATTRIB" ols learners.csv --formula 'sales ~ trained' --cluster team,regio -o out.txt
code=$?
ls out.* 2>/dev/null || echo "no output file"
exit $code
