# class: treatment not 0/1; one text cell 'maybe' in 2x2 did's --treat column: exit 1 naming the treatment, the cell and line 10 (no advice to write factor(), which --treat cannot take)
cp "$DATA/learners.csv" .
recode() { awk -F, -v expr="$1" 'BEGIN { OFS = "," } NR > 1 { if (expr == "double") $17 = $17 * 2; else if (expr == "half") $17 = $17 + 0.5; else if (expr == "ones") $17 = 1; else if (expr == "minus0") $17 = ($17 == 1 ? "-0" : 0); else if (NR == 10) $17 = expr } { print }' learners.csv >t.csv; }
recode maybe
"$ATTRIB" did t.csv --outcome sales --treat trained --post remote -o out.json
code=$?
ls out.* 2>/dev/null || echo "no output file"
exit $code
