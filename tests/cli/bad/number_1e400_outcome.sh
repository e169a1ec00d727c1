# class: number syntax; 1e400 in psm's outcome column: exit 1 naming the outcome, the cell and its line
cp "$DATA/lalonde.csv" .
awk -F, 'BEGIN { OFS = "," } NR == 9 { $10 = "1e400" } { print }' lalonde.csv >n.csv
"$ATTRIB" psm n.csv --treat treat --outcome re78 --covariates age,educ -o out.json
code=$?
ls out.* 2>/dev/null || echo "no output file"
exit $code
