cp "$DATA/learners.csv" .
"$ATTRIB" ols learners.csv --formula "sales ~ trained + prior_perf + engagement + tenure + factor(role) | region" \
  --cluster team --treat trained
