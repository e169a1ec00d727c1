# class: no comparison units; a staggered panel whose units are all in one cohort, imputation: exit 1, no never-treated and no not-yet-treated units
"$ATTRIB" simulate --design panel --rows 60 --periods 6 --seed 3 -o p.csv -q
awk -F, 'BEGIN { OFS = "," } NR > 1 { $4 = 3 } { print }' p.csv >one.csv
"$ATTRIB" did one.csv --outcome sales --unit learner_id --time period --cohort cohort --estimator imputation -o out.json
code=$?
ls out.* 2>/dev/null || echo "no output file"
exit $code
