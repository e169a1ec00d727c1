# class: weights; one NaN weight is a missing value: that row is dropped and counted as missing, a correct success
cp "$DATA/learners.csv" .
w() { awk -F, -v row="$1" -v val="$2" 'BEGIN { OFS = "," } NR == 1 { print $0 ",w"; next } { print $0 "," (row == "all" || NR == row ? val : 1) }' learners.csv >w.csv; }
w 5 NaN
"$ATTRIB" logit w.csv --formula 'churned ~ trained' --weights w --format json -o out.json
code=$?
jq -c '{n_obs, missing: .dropped.missing}' out.json
exit $code
