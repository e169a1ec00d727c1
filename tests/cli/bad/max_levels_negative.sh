# class: option range; describe --max-levels -1: exit 2, expects a non-negative whole number
cp "$DATA/learners.csv" .
"$ATTRIB" describe learners.csv --max-levels -1 -o out.txt
code=$?
ls out.* 2>/dev/null || echo "no output file"
exit $code
