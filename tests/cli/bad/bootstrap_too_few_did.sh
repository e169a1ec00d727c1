# class: option range; did --bootstrap 5: exit 2, needs at least 99 replicates
"$ATTRIB" simulate --design panel --rows 50 --periods 6 --seed 3 -o p.csv -q
"$ATTRIB" did p.csv --outcome sales --unit learner_id --time period --cohort cohort --bootstrap 5 --seed 1 -o out.json
code=$?
ls out.* 2>/dev/null || echo "no output file"
exit $code
