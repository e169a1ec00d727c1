# class: collinear regressors; a psm covariate identical to the treatment: exit 1, complete separation naming the covariate
cp "$DATA/learners.csv" .
awk -F, 'BEGIN { OFS = "," } NR == 1 { print $0 ",t2"; next } { print $0 "," $17 }' learners.csv >c.csv
"$ATTRIB" psm c.csv --treat trained --outcome sales --covariates tenure,t2 -o out.json
code=$?
ls out.* 2>/dev/null || echo "no output file"
exit $code
