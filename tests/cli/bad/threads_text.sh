# class: option range; did --threads two: exit 2, expects a non-negative whole number
"$ATTRIB" simulate --design panel --rows 50 --periods 6 --seed 3 -o p.csv -q
"$ATTRIB" did p.csv --outcome sales --unit learner_id --time period --cohort cohort --threads two -o out.json
code=$?
ls out.* 2>/dev/null || echo "no output file"
exit $code
