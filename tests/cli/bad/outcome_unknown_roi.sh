# class: option value; roi --from an ols fit of c(sales, churned) with --outcome churn (not in it): exit 2 naming the outcomes
cp "$DATA/learners.csv" .
"$ATTRIB" ols learners.csv --formula "c(sales, churned) ~ trained + tenure" --treat trained -q --format json -o fit.json
"$ATTRIB" roi --from fit.json --learners 500 --cost program=50000 --outcome churn
