# class: option range; mediate --sims 5: exit 2, the draws must lie in [10, 1000000]
cp "$DATA/learners.csv" .
"$ATTRIB" mediate learners.csv --treat trained --mediator engagement --outcome sales --sims 5 -o out.txt
code=$?
ls out.* 2>/dev/null || echo "no output file"
exit $code
