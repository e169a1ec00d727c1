# class: missing column; sensitivity rosenbaum --treat naming no column: exit 1 naming it as the treatment
cp "$DATA/learners.csv" .
"$ATTRIB" sensitivity rosenbaum learners.csv --treat traind --outcome sales --covariates tenure -o out.txt
code=$?
ls out.* 2>/dev/null || echo "no output file"
exit $code
