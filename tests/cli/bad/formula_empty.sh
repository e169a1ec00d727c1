# class: formula syntax; --formula '': exit 2, empty formula (expected 'outcome ~ terms')
cp "$DATA/learners.csv" .
"$ATTRIB" ols learners.csv --formula '' -o out.txt
code=$?
ls out.* 2>/dev/null || echo "no output file"
exit $code
