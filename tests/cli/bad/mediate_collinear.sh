# class: collinear regressors; mediate --mediator m2 where m2 = 2 x trained: exit 1, the mediator is a function of the treatment
cp "$DATA/learners.csv" .
awk -F, 'BEGIN { OFS = "," } NR == 1 { print $0 ",m2"; next } { print $0 "," 2 * $17 }' learners.csv >c.csv
"$ATTRIB" mediate c.csv --treat trained --mediator m2 --outcome sales -o out.txt
code=$?
ls out.* 2>/dev/null || echo "no output file"
exit $code
