# class: subgroups; ols --by region on the rows of one region: exit 1, one level
cp "$DATA/learners.csv" .
awk -F, 'NR == 1 || $3 == "Metro"' learners.csv >metro.csv
"$ATTRIB" ols metro.csv --formula "sales ~ trained + tenure" --treat trained --by region -o out.txt
code=$?
ls out.* 2>/dev/null || echo "no output file"
exit $code
