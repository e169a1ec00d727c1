# class: missing column; describe --categorical naming no column: exit 1 naming it
cp "$DATA/learners.csv" .
"$ATTRIB" describe learners.csv --categorical nosuch -o out.txt
code=$?
ls out.* 2>/dev/null || echo "no output file"
exit $code
