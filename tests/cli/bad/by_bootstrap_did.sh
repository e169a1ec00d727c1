# class: subgroups; did --by role --bootstrap 99: exit 2
"$ATTRIB" simulate --design panel --rows 300 --seed 3 >p.csv
"$ATTRIB" did p.csv --outcome sales --unit learner_id --time period --cohort cohort --by role --bootstrap 99 -o out.txt
code=$?
ls out.* 2>/dev/null || echo "no output file"
exit $code
