# class: usage; mediate --mediator sales --outcome sales: exit 2, one column in two roles
cp "$DATA/learners.csv" .
"$ATTRIB" mediate learners.csv --treat trained --mediator sales --outcome sales -o out.txt
code=$?
ls out.* 2>/dev/null || echo "no output file"
exit $code
