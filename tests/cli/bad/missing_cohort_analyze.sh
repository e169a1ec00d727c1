# class: missing column; analyze --cohort naming no column: exit 1 naming it (cohort)
"$ATTRIB" simulate --design panel --rows 50 --periods 6 --seed 3 -o p.csv -q
"$ATTRIB" analyze p.csv --outcome sales --treat treated --covariates tenure --unit learner_id --time period --cohort cohrt -o out.txt
code=$?
ls out.* 2>/dev/null || echo "no output file"
exit $code
