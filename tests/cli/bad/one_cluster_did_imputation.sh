# class: one-level cluster; an imputation did clustered on a team column with one value: exit 1, clustered inference needs at least two
"$ATTRIB" simulate --design panel --rows 50 --periods 6 --seed 3 -o p.csv -q
awk -F, 'BEGIN { OFS = "," } NR > 1 { $2 = 7 } { print }' p.csv >one.csv
"$ATTRIB" did one.csv --outcome sales --unit learner_id --time period --cohort cohort --cluster team --estimator imputation -o out.json
code=$?
ls out.* 2>/dev/null || echo "no output file"
exit $code
