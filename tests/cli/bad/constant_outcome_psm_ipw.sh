# class: constant outcome; psm weighting on a constant outcome: exit 1, no variation to explain
cp "$DATA/learners.csv" .
awk -F, 'BEGIN { OFS = "," } NR > 1 { $19 = 50 } { print }' learners.csv >c.csv
"$ATTRIB" psm c.csv --treat trained --outcome sales --covariates tenure --method ipw -o out.json
code=$?
ls out.* 2>/dev/null || echo "no output file"
exit $code
