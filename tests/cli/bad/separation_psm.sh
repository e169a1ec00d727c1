# class: perfect separation; psm whose covariate s separates treated from controls: exit 1, complete separation by s
cp "$DATA/learners.csv" .
awk -F, 'BEGIN { OFS = "," } NR == 1 { print $0 ",s"; next } { print $0 "," ($17 == 1 ? 100 + $9 : $9 - 100) }' learners.csv >s.csv
"$ATTRIB" psm s.csv --treat trained --outcome sales --covariates s -o out.json
code=$?
ls out.* 2>/dev/null || echo "no output file"
exit $code
