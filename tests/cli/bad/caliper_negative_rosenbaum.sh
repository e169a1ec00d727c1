# class: option range; sensitivity rosenbaum --caliper -1 (silently ignored: the same output as no caliper): exit 2, must be positive, as psm says
cp "$DATA/learners.csv" .
"$ATTRIB" sensitivity rosenbaum learners.csv --treat trained --outcome sales --covariates tenure --caliper -1 -o out.txt
code=$?
ls out.* 2>/dev/null || echo "no output file"
exit $code
