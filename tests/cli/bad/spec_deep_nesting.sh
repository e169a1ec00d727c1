# class: JSON spec; 100,000 nested objects: exit 1 at once, maximum parsing depth, never a stack overflow
awk 'BEGIN { for (i = 0; i < 100000; i++) printf "{\"a\":"; print "" }' >s.json
"$ATTRIB" roi --spec s.json -o out.txt
code=$?
ls out.* 2>/dev/null || echo "no output file"
exit $code
