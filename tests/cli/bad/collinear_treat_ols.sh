# class: collinear regressors; ols --treat t2 where t2 equals trained: exit 1, the treatment was dropped as collinear
cp "$DATA/learners.csv" .
awk -F, 'BEGIN { OFS = "," } NR == 1 { print $0 ",t2"; next } { print $0 "," $17 }' learners.csv >c.csv
"$ATTRIB" ols c.csv --formula 'sales ~ trained + t2' --treat t2 -o out.txt
code=$?
ls out.* 2>/dev/null || echo "no output file"
exit $code
