# class: treatment not 0/1; sensitivity rosenbaum with the treatment coded 0/2: exit 1 naming the column and row
cp "$DATA/learners.csv" .
recode() { awk -F, -v expr="$1" 'BEGIN { OFS = "," } NR > 1 { if (expr == "double") $17 = $17 * 2; else if (expr == "half") $17 = $17 + 0.5; else if (expr == "ones") $17 = 1; else if (expr == "minus0") $17 = ($17 == 1 ? "-0" : 0); else if (NR == 10) $17 = expr } { print }' learners.csv >t.csv; }
recode double
"$ATTRIB" sensitivity rosenbaum t.csv --treat trained --outcome sales --covariates tenure -o out.txt
code=$?
ls out.* 2>/dev/null || echo "no output file"
exit $code
