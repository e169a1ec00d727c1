# class: subgroups; ols --by role where no Director is trained: exit 1, names the level
cp "$DATA/learners.csv" .
awk -F, -v OFS=, 'NR > 1 && $4 == "Director" { $17 = 0 } 1' learners.csv >nodir.csv
"$ATTRIB" ols nodir.csv --formula "sales ~ trained + tenure" --treat trained --by role -o out.txt
code=$?
ls out.* 2>/dev/null || echo "no output file"
exit $code
