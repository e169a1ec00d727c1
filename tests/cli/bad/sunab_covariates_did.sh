# class: unsupported option; --covariates with --estimator sunab: exit 2, the message names the option
"$ATTRIB" simulate --design panel --rows 60 --periods 6 --seed 3 -o p.csv -q
"$ATTRIB" did p.csv --outcome sales --unit learner_id --time period --cohort cohort --estimator sunab --covariates tenure -o out.json
code=$?
ls out.* 2>/dev/null || echo "no output file"
exit $code
