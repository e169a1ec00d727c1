# class: treatment not 0/1; mediate --treat training_hours (hours, not 0/1): exit 1, the first offending data row
cp "$DATA/learners.csv" .
"$ATTRIB" mediate learners.csv --treat training_hours --mediator engagement --outcome sales -o out.txt
code=$?
ls out.* 2>/dev/null || echo "no output file"
exit $code
