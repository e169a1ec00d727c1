# class: unsupported option; --bootstrap with --estimator imputation: exit 2, its SEs are analytic
"$ATTRIB" simulate --design panel --rows 60 --periods 6 --seed 3 -o p.csv -q
"$ATTRIB" did p.csv --outcome sales --unit learner_id --time period --cohort cohort --estimator imputation --bootstrap 999 -o out.json
code=$?
ls out.* 2>/dev/null || echo "no output file"
exit $code
