# class: no untreated period; every treated unit treated from the first period, sunab: exit 1, names how many units and the first one's row
"$ATTRIB" simulate --design panel --rows 60 --periods 6 --seed 3 -o p.csv -q
awk -F, 'BEGIN { OFS = "," } NR > 1 && $4 > 0 { $4 = 1 } { print }' p.csv >first.csv
"$ATTRIB" did first.csv --outcome sales --unit learner_id --time period --cohort cohort --estimator sunab -o out.json
code=$?
ls out.* 2>/dev/null || echo "no output file"
exit $code
