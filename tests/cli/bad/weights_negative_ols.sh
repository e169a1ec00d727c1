# class: weights; one weight -1 at line 5: exit 1 (a data error) naming the row or line, the column and that weights must be >= 0
cp "$DATA/learners.csv" .
w() { awk -F, -v row="$1" -v val="$2" 'BEGIN { OFS = "," } NR == 1 { print $0 ",w"; next } { print $0 "," (row == "all" || NR == row ? val : 1) }' learners.csv >w.csv; }
w 5 -1
"$ATTRIB" ols w.csv --formula 'sales ~ trained' --weights w -o out.txt
code=$?
ls out.* 2>/dev/null || echo "no output file"
exit $code
