# class: constant outcome; mediate --mediator k where k is 5 in every row: exit 1, nothing to mediate
cp "$DATA/learners.csv" .
awk -F, 'BEGIN { OFS = "," } NR == 1 { print $0 ",k"; next } { print $0 ",5" }' learners.csv >c.csv
"$ATTRIB" mediate c.csv --treat trained --mediator k --outcome sales -o out.txt
code=$?
ls out.* 2>/dev/null || echo "no output file"
exit $code
