# class: weights; one weight of 1e308 among weights of 1: exit 1 (the weighted sums overflow) rather than exit 0 with R2 = 1 and a 150-digit t value
cp "$DATA/learners.csv" .
w() { awk -F, -v row="$1" -v val="$2" 'BEGIN { OFS = "," } NR == 1 { print $0 ",w"; next } { print $0 "," (row == "all" || NR == row ? val : 1) }' learners.csv >w.csv; }
w 5 1e308
"$ATTRIB" ols w.csv --formula 'sales ~ trained' --weights w -o out.txt
code=$?
ls out.* 2>/dev/null || echo "no output file"
exit $code
