# the analyst's question: how much of training's effect on sales passes through engagement?
# quasi-Bayesian intervals (the default), covariates of both models
cp "$DATA/learners.csv" .
"$ATTRIB" mediate learners.csv --treat trained --mediator engagement --outcome sales \
  --covariates 'tenure,prior_perf,factor(role)' --sims 500 --seed 5
