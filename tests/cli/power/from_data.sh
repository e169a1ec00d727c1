# SD, ICC (one-way ANOVA by team) and R2 from a baseline export (R: tests/reference/power/baseline_expected.csv)
cp "$DATA/learners.csv" .
"$ATTRIB" power --design cluster --n 400 --from-data learners.csv --outcome sales --cluster team --covariates 'tenure,prior_perf,factor(role)'
"$ATTRIB" power --design rct --mde 3 --from-data learners.csv --outcome sales --covariates tenure --format json
