# class: one-level cluster; ols two-way clustering whose second column has a single value: exit 1 naming it
cp "$DATA/learners.csv" .
awk -F, 'BEGIN { OFS = "," } NR == 1 { print $0 ",one"; next } { print $0 ",A" }' learners.csv >one.csv
"$ATTRIB" ols one.csv --formula 'sales ~ trained' --cluster team,one -o out.txt
code=$?
ls out.* 2>/dev/null || echo "no output file"
exit $code
