# class: subgroups; ols --by role --by-bins 3: exit 1, bins need numbers
cp "$DATA/learners.csv" .
"$ATTRIB" ols learners.csv --formula "sales ~ trained" --treat trained --by role --by-bins 3 -o out.txt
code=$?
ls out.* 2>/dev/null || echo "no output file"
exit $code
