# Unbalanced panels with Callaway-Sant'Anna (issue 17): did_panel.csv with
# periods removed from most units. Dropped (the default, as did): the
# warning comes first, says how many and, when most units go, says so in
# capitals; counts.n_units_used. Kept (--unbalanced keep, did's
# allow_unbalanced_panel): every unit is used and each cell reports how many
# units it used. The estimator is checked by brute force in
# tests/unit/test_did.c (test_unbalanced_*); on a balanced panel keep and
# drop agree exactly (no covariates).
p="$DATA/../../reference/did/did_panel.csv"
# every unit whose id is not a multiple of 4 loses one period (which one varies)
awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; print; next }
  { u = $c["learner_id"] + 0; t = $c["period"] + 0; if (u % 4 != 0 && t == 1 + u % 7) next; print }' "$p" >unb.csv
run() { "$ATTRIB" did unb.csv --outcome sales --unit learner_id --time period --cohort cohort -q --format json "$@"; }
run >drop.json
jq -r '"drop: units \(.counts.n_units), used \(.counts.n_units_used), incomplete \(.counts.n_incomplete)", "first warning: \(.warnings[0])"' drop.json
run --unbalanced keep >keep.json
jq -r '"keep: used \(.counts.n_units_used); cells \(.group_time | length), units per cell \([.group_time[] | .n_treated + .n_control] | min)..\([.group_time[] | .n_treated + .n_control] | max)", "first warning: \(.warnings[0])"' keep.json
jq -r '"overall ATT: drop \(.effect.estimate * 1000 | round / 1000)"' drop.json
jq -r '"overall ATT: keep \(.effect.estimate * 1000 | round / 1000) (SE \(.effect.std_error * 1000 | round / 1000))"' keep.json
ref="$DATA/../../reference/did/did_panel.csv"
a=$("$ATTRIB" did "$ref" --outcome sales --unit learner_id --time period --cohort cohort -q --format json | jq -c '[.group_time[] | .att, .std_error]')
b=$("$ATTRIB" did "$ref" --outcome sales --unit learner_id --time period --cohort cohort -q --format json --unbalanced keep | jq -c '[.group_time[] | .att, .std_error]')
jq -n --argjson a "$a" --argjson b "$b" '"balanced panel, keep vs drop: max |difference| of ATT(g,t) and SE " + ([range(0; $a | length)] | map(($a[.] - $b[.]) | fabs) | max | if . < 1e-10 then "< 1e-10" else tostring end)'
"$ATTRIB" did unb.csv --outcome sales --unit learner_id --time period --cohort cohort --unbalanced maybe 2>&1 | head -1
"$ATTRIB" did unb.csv --outcome sales --unit learner_id --time period --cohort cohort --estimator twfe --unbalanced keep 2>&1 | head -1
"$ATTRIB" did unb.csv --outcome sales --unit learner_id --time period --cohort cohort --unbalanced keep | sed -n '3,4p'
