# class: usage; describe given two DATA files: exit 2, expected one DATA file
cp "$DATA/learners.csv" .
"$ATTRIB" describe learners.csv learners.csv -o out.txt
code=$?
ls out.* 2>/dev/null || echo "no output file"
exit $code
