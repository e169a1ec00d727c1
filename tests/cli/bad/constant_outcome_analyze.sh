# class: constant outcome; analyze on a constant outcome: exit 1, no method could be estimated, each method's reason, no report
cp "$DATA/learners.csv" .
awk -F, 'BEGIN { OFS = "," } NR > 1 { $19 = 50 } { print }' learners.csv >c.csv
"$ATTRIB" analyze c.csv --outcome sales --treat trained --covariates tenure -o out.txt --report out.html
code=$?
ls out.* 2>/dev/null || echo "no output file"
exit $code
