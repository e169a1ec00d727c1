# class: usage; ols --format xml: exit 2, expects text, json or csv
cp "$DATA/learners.csv" .
"$ATTRIB" ols learners.csv --formula 'sales ~ trained' --format xml -o out.xml
code=$?
ls out.* 2>/dev/null || echo "no output file"
exit $code
