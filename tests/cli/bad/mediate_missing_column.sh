# class: missing column; mediate --mediator engagment (a typo): exit 1, the nearest name
cp "$DATA/learners.csv" .
"$ATTRIB" mediate learners.csv --treat trained --mediator engagment --outcome sales -o out.txt
code=$?
ls out.* 2>/dev/null || echo "no output file"
exit $code
