# class: option range; sensitivity rosenbaum --alpha 2: exit 2, must lie in (0, 1)
cp "$DATA/learners.csv" .
"$ATTRIB" sensitivity rosenbaum learners.csv --treat trained --outcome sales --covariates tenure --alpha 2 -o out.txt
code=$?
ls out.* 2>/dev/null || echo "no output file"
exit $code
