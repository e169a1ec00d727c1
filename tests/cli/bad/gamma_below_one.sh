# class: option range; sensitivity rosenbaum --gamma 0.5:2:0.1: exit 2, Gamma must be at least 1
cp "$DATA/learners.csv" .
"$ATTRIB" sensitivity rosenbaum learners.csv --treat trained --outcome sales --covariates tenure --gamma 0.5:2:0.1 -o out.txt
code=$?
ls out.* 2>/dev/null || echo "no output file"
exit $code
