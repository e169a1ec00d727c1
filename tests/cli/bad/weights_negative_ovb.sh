# class: weights; one weight -1 in sensitivity ovb: exit 1 (a data error) naming the row or line and the column
cp "$DATA/learners.csv" .
w() { awk -F, -v row="$1" -v val="$2" 'BEGIN { OFS = "," } NR == 1 { print $0 ",w"; next } { print $0 "," (row == "all" || NR == row ? val : 1) }' learners.csv >w.csv; }
w 5 -1
"$ATTRIB" sensitivity ovb w.csv --formula 'sales ~ trained + tenure' --treat trained --weights w -o out.txt
code=$?
ls out.* 2>/dev/null || echo "no output file"
exit $code
