# The text report of Callaway-Sant'Anna on the bundled panel: every table
# (group-time, event study, by cohort, by calendar period, pre-trend test),
# whose numbers tests/cli/did/reference.sh checks against R through JSON.
"$ATTRIB" did "$DATA/../../../datasets/panel_sample.csv" --outcome sales --unit learner_id --time period --cohort cohort
