# class: missing column; did --time naming no column: exit 1 naming it (time)
"$ATTRIB" simulate --design panel --rows 50 --periods 6 --seed 3 -o p.csv -q
"$ATTRIB" did p.csv --outcome sales --unit learner_id --time perod --cohort cohort -o out.json
code=$?
ls out.* 2>/dev/null || echo "no output file"
exit $code
