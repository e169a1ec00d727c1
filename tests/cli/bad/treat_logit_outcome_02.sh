# class: treatment not 0/1; a logit outcome coded 0/2: exit 1, the outcome of a binary model must be 0 or 1, naming the row
cp "$DATA/learners.csv" .
recode() { awk -F, -v expr="$1" 'BEGIN { OFS = "," } NR > 1 { if (expr == "double") $17 = $17 * 2; else if (expr == "half") $17 = $17 + 0.5; else if (expr == "ones") $17 = 1; else if (expr == "minus0") $17 = ($17 == 1 ? "-0" : 0); else if (NR == 10) $17 = expr } { print }' learners.csv >t.csv; }
recode double
"$ATTRIB" logit t.csv --formula 'trained ~ tenure' -o out.txt
code=$?
ls out.* 2>/dev/null || echo "no output file"
exit $code
