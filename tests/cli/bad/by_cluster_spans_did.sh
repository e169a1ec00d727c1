# class: subgroups; did --cluster region --by role: exit 1, a cluster holds rows of two groups
"$ATTRIB" simulate --design panel --rows 300 --seed 3 >p.csv
"$ATTRIB" did p.csv --outcome sales --unit learner_id --time period --cohort cohort --cluster region --by role -o out.txt
code=$?
ls out.* 2>/dev/null || echo "no output file"
exit $code
