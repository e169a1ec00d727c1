# class: JSON spec; a spec cut off before its closing brace: exit 1 naming the file, line and column
printf '{"effect": 5, "learners": 10' >s.json
"$ATTRIB" roi --spec s.json -o out.txt
code=$?
ls out.* 2>/dev/null || echo "no output file"
exit $code
