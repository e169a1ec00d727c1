# class: collinear regressors; mediate --covariates tenure,t2 where t2 = 2 x tenure: exit 1, names the column to drop
cp "$DATA/learners.csv" .
awk -F, 'BEGIN { OFS = "," } NR == 1 { print $0 ",t2"; next } { print $0 "," 2 * $5 }' learners.csv >c.csv
"$ATTRIB" mediate c.csv --treat trained --mediator engagement --outcome sales --covariates tenure,t2 -o out.txt
code=$?
ls out.* 2>/dev/null || echo "no output file"
exit $code
