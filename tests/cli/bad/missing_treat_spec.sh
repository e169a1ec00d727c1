# class: missing column; sensitivity spec psm whose base --treat is not a column, so every specification fails: exit 1 naming it, not a curve of failures with exit 0
cp "$DATA/learners.csv" .
"$ATTRIB" sensitivity spec psm learners.csv --treat traind --outcome sales --covariates tenure --vary caliper=0.1,0.2 -o out.txt
code=$?
ls out.* 2>/dev/null || echo "no output file"
exit $code
