# class: option value; ols --max-memory 2X (not a size): exit 2
cp "$DATA/learners.csv" .
"$ATTRIB" ols learners.csv --formula "sales ~ trained" --max-memory 2X -o out.txt
code=$?
ls out.* 2>/dev/null || echo "no output file"
exit $code
