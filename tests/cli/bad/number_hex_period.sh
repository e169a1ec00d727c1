# class: number syntax; '0x10' in did's time column: exit 1 naming the column, the line and the cell
"$ATTRIB" simulate --design panel --rows 50 --periods 6 --seed 3 -o p.csv -q
awk -F, 'BEGIN { OFS = "," } NR == 3 { $3 = "0x10" } { print }' p.csv >n.csv
"$ATTRIB" did n.csv --outcome sales --unit learner_id --time period --cohort cohort -o out.json
code=$?
ls out.* 2>/dev/null || echo "no output file"
exit $code
