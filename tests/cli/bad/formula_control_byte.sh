# class: formula syntax; a control byte (0x01) in the formula: exit 2 showing it as \x01
cp "$DATA/learners.csv" .
"$ATTRIB" ols learners.csv --formula "$(printf 'sales ~ trained + \001')" -o out.txt
code=$?
ls out.* 2>/dev/null || echo "no output file"
exit $code
