# class: missing column; --cluster naming no column: exit 1 naming it (cluster)
cp "$DATA/learners.csv" .
"$ATTRIB" ols learners.csv --formula 'sales ~ trained' --cluster tem -o out.txt
code=$?
ls out.* 2>/dev/null || echo "no output file"
exit $code
