# The text report of Callaway-Sant'Anna on the bundled panel: every table
# (group-time, event study, by cohort, by calendar period, pre-trend test),
# whose numbers tests/cli/did/reference.sh checks against R through JSON.
# (A copy in the case's folder, so the Data line does not hold the checkout's path.)
cp "$DATA/../../../datasets/panel_sample.csv" panel.csv
"$ATTRIB" did panel.csv --outcome sales --unit learner_id --time period --cohort cohort
