# class: usage; describe --delim ab: exit 2, expects one character or 'tab'
cp "$DATA/learners.csv" .
"$ATTRIB" describe learners.csv --delim ab -o out.txt
code=$?
ls out.* 2>/dev/null || echo "no output file"
exit $code
