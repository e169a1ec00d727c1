# class: formula syntax; '++' in sensitivity ovb's formula: exit 2 with a caret under the second '+'
cp "$DATA/learners.csv" .
"$ATTRIB" sensitivity ovb learners.csv --formula 'sales ~ trained ++ tenure' --treat trained -o out.txt
code=$?
ls out.* 2>/dev/null || echo "no output file"
exit $code
