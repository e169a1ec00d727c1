# class: unsupported option; analyze --mediator on a panel (--unit/--time): mediation's models are one row per learner, exit 2 saying so, no output
"$ATTRIB" simulate --design panel --adoption single --rows 50 --seed 2 -q -o panel.csv
"$ATTRIB" analyze panel.csv --outcome sales --treat treated --covariates prior_perf --unit learner_id --time period \
  --mediator prior_perf -o out.txt
code=$?
ls out.* 2>/dev/null || echo "no output file"
exit $code
