# class: option range; did --leads 100001: exit 2, at most 100000
"$ATTRIB" simulate --design panel --rows 50 --periods 6 --seed 3 -o p.csv -q
"$ATTRIB" did p.csv --outcome sales --unit learner_id --time period --cohort cohort --estimator twfe --event-study --leads 100001 -o out.json
code=$?
ls out.* 2>/dev/null || echo "no output file"
exit $code
