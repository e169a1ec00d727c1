# class: weights; every weight NaN (missing): exit 1, no rows left for the model
cp "$DATA/learners.csv" .
w() { awk -F, -v row="$1" -v val="$2" 'BEGIN { OFS = "," } NR == 1 { print $0 ",w"; next } { print $0 "," (row == "all" || NR == row ? val : 1) }' learners.csv >w.csv; }
w all NaN
"$ATTRIB" ols w.csv --formula 'sales ~ trained' --weights w -o out.txt
code=$?
ls out.* 2>/dev/null || echo "no output file"
exit $code
