# Failed specifications in the specification curve's summary: the summary
# counts only the estimated ones and groups the failures by reason. When
# every specification failed it says so (it printed "Estimates from 0 to 0
# (median 0); 0% significant": issue 12) and the JSON statistics are null.
P="$DATA/../../reference/did/did_panel.csv"
d() { "$ATTRIB" sensitivity spec did "$P" --outcome sales --unit learner_id --time period --cohort cohort -q "$@"; }
d --vary control=notyet --vary estimator=twfe --vary anticipation=0,1
d --vary control=notyet --vary estimator=twfe --vary anticipation=0,1 --format json | jq -c .summary
cp "$DATA/lalonde.csv" . && L=lalonde.csv # a copy: the error names the file
p() { "$ATTRIB" sensitivity spec psm "$L" --treat treat --outcome re78 --id id --covariates "age,educ" -q "$@"; }
p --vary estimand=ate,att --vary covariates="age,educ|age,nosuchcol"
p --vary estimand=ate,att --vary covariates="age,educ|age,nosuchcol" --format json |
  jq -c '.summary | {n_specs, n_estimated, n_failed, min_estimate, max_estimate, share_significant, failures}'
p --vary estimand=ate,att --vary covariates="age,educ|age,nosuchcol" --format csv
