# class: usage; mediate --ci-method delta: exit 2, the two methods named
cp "$DATA/learners.csv" .
"$ATTRIB" mediate learners.csv --treat trained --mediator engagement --outcome sales --ci-method delta -o out.txt
code=$?
ls out.* 2>/dev/null || echo "no output file"
exit $code
