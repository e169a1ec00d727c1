# did's aggte figures from the CLI (issue 17): the group and calendar
# overall effects recomputed from the JSON's own by-cohort and by-period
# tables and cohort sizes (awk, 1e-12), the uniform bands of the
# by-cohort and by-period effects under --bootstrap, the event-time window
# flags, the post-minus-pre window difference and the cohort x event-time
# CSV (--cells-out). The SEs are checked by brute force in
# tests/unit/test_did.c (test_aggte_*).
p="$DATA/../../reference/did/did_panel.csv"
run() { "$ATTRIB" did "$p" --outcome sales --unit learner_id --time period --cohort cohort -q "$@"; }
run --format json --cells-out cells.csv >a.json
jq -r '([.cohorts[] | {(.group | tostring): .n_units}] | add) as $n |
  .aggregations | (([.group[] | .att * $n[.group | tostring]] | add) / ([.group[] | $n[.group | tostring]] | add)) as $g |
  (([.calendar[].att] | add) / (.calendar | length)) as $c |
  "group overall: \(if ((.group_overall.att - $g) | fabs) < 1e-12 then "= sum n_g theta(g) / sum n_g" else "\(.group_overall.att) vs \($g)" end)",
  "calendar overall: \(if ((.calendar_overall.att - $c) | fabs) < 1e-12 then "= mean theta(t)" else "\(.calendar_overall.att) vs \($c)" end)",
  "keys: \(.group_overall | keys | join(" ")); bands \(.group_band), \(.calendar_band)"' a.json
awk -F, 'NR == 1 { print "cells.csv: " $0; next } { n++; if ($3 != $2 - $1) bad++ } END { print n " rows, event_time = time - group: " (bad ? "no" : "yes") }' cells.csv
echo "group_time rows: $(jq '.group_time | length' a.json)"
run --format json --bootstrap 999 --seed 3 >b.json
jq -r '.bootstrap as $b | .aggregations |
  "bootstrap bands: \(.group_band); crit group > 1.96: \($b.crit_uniform_group > 1.96), calendar: \($b.crit_uniform_calendar > 1.96)",
  "cohort CI = att +- crit_group SE: \([.group[] | ((.ci_high - .att) / .std_error - $b.crit_uniform_group) | fabs < 1e-9] | all)",
  "group overall pointwise: \(((.group_overall.ci_high - .group_overall.att) / .group_overall.std_error - 1.959963984540054) | fabs < 1e-9)"' b.json
run --format json --balance-e 2 --min-e -3 --window-diff -3:-1,0:2 >w.json
jq -r '"balance_e 2, min_e -3: event times \([.event_study[].event_time] | map(tostring) | join(" "))",
  ([.event_study[] | select(.event_time >= 0 and .event_time <= 2) | .att] | add / length) as $post |
  ([.event_study[] | select(.event_time >= -3 and .event_time <= -1) | .att] | add / length) as $pre |
  ([.event_study[] | select(.event_time >= 0) | .att] | add / length) as $dyn |
  "window_diff: \(if ((.aggregations.window_diff.att - ($post - $pre)) | fabs) < 1e-12 then "= mean(0..2) - mean(-3..-1)" else "off" end), windows \(.aggregations.window_diff | "\(.pre_start):\(.pre_end),\(.post_start):\(.post_end)")",
  "dynamic overall = mean of the kept e >= 0: \(((.aggregations.dynamic.att - $dyn) | fabs) < 1e-12)"' w.json
run --max-e 1 --min-e -1 | sed -n '/^Event study/,/^$/p'
run --estimator twfe --min-e 0 2>&1 | head -1
run --window-diff 0:2 2>&1 | head -1
run --min-e 2 --max-e 1 2>&1 | head -1
run --window-diff -9:-8,0:1 2>&1 | head -1
