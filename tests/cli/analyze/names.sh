# Names as written in a panel (issue 12 defect 5, issue 14): every model
# analyze builds on a panel (Callaway-Sant'Anna, TWFE, and OLS, matching,
# AIPW, the scores and Rosenbaum's pairs on the learner rows, the cohort
# table) is built from the names and the covariates' terms, never from
# formula text: columns named as exported from a spreadsheet (spaces,
# brackets, '#', '?', '€') give the very numbers of the plain names.
"$ATTRIB" simulate --design panel --adoption single --rows 300 --seed 4 -q -o plain.csv
sed '1s/.*/Learner ID,team #,Period (week),first period,Trained?,role title,region,tenure,prior perf (z),Sales (€)/' \
  plain.csv >named.csv
pick='[.methods[] | {method, estimate, std_error, ci_low, ci_high, n_obs, n_treated, status}] + [.sensitivity, (.headline | del(.text, .effect_per_period.kpi_unit))]'  # the headline's words name the outcome
for cohort in yes no; do
  if [ $cohort = yes ]; then pc=(--cohort cohort); nc=(--cohort "first period"); else pc=(); nc=(); fi
  "$ATTRIB" analyze plain.csv --outcome sales --treat treated --covariates 'prior_perf,factor(role)' --unit learner_id \
    --time period "${pc[@]}" --cluster team --value-per-unit 100 --cost-per-learner 100 -q --format json >p.json
  "$ATTRIB" analyze named.csv --outcome "Sales (€)" --treat "Trained?" --covariates 'prior perf (z),factor(`role title`)' \
    --unit "Learner ID" --time "Period (week)" "${nc[@]}" --cluster "team #" --value-per-unit 100 --cost-per-learner 100 \
    -q --format json >n.json
  echo "exit $?; cohort column: $cohort; methods: $(jq -c '[.methods[] | select(.status == null) | .method]' n.json)"
  [ "$(jq -c "$pick" p.json)" = "$(jq -c "$pick" n.json)" ] && echo "same numbers as the plain names" ||
    diff <(jq "$pick" p.json) <(jq "$pick" n.json)
  jq -c '{covariates, cohort: [.cohort.variables[] | .name + (if .level then " = " + .level else "" end)][0:3]}' n.json
done
