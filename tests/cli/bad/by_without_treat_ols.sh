# class: subgroups; ols --by role without --treat: exit 2
cp "$DATA/learners.csv" .
"$ATTRIB" ols learners.csv --formula "sales ~ trained" --by role -o out.txt
code=$?
ls out.* 2>/dev/null || echo "no output file"
exit $code
