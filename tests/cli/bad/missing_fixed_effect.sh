# class: missing column; a fixed effect after '|' that does not exist: exit 1 naming it (fixed effect)
cp "$DATA/learners.csv" .
"$ATTRIB" ols learners.csv --formula 'sales ~ trained | regio' -o out.txt
code=$?
ls out.* 2>/dev/null || echo "no output file"
exit $code
