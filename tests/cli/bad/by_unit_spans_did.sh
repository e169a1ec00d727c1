# class: subgroups; did --by treated (varies within unit): exit 1, a unit holds rows of two groups
"$ATTRIB" simulate --design panel --rows 300 --seed 3 >p.csv
"$ATTRIB" did p.csv --outcome sales --unit learner_id --time period --cohort cohort --by treated -o out.txt
code=$?
ls out.* 2>/dev/null || echo "no output file"
exit $code
