# issue 12, defect 2: a panel is analysed per learner. On the bundled
# staggered panel (500 learners x 8 periods) the counts are learners, the
# primary estimate (and the ROI) is Callaway-Sant'Anna's whatever the order
# of --methods, the cross-section methods are skipped with the reason, and
# the ROI counts the treated learners unless --learners is given. On a
# single adoption date the primary is two-way fixed effects (= attrib did
# --estimator twfe) and OLS and matching run on one row per learner: the
# outcome change from the mean before to the mean after the date, the
# covariate at the first period, built here by awk from the CSV and fitted
# by attrib ols and attrib psm, which must give the same numbers.
cp "$DATA/../../../datasets/panel_sample.csv" panel.csv
P=panel.csv
"$ATTRIB" analyze "$P" --outcome sales --treat treated --covariates "prior_perf,tenure" --unit learner_id --time period \
  --cohort cohort --value-per-unit 1000 --cost-per-learner 1000 -q | sed -n '2,4p;/^ROI/p'
"$ATTRIB" analyze "$P" --outcome sales --treat treated --covariates "prior_perf,tenure" --unit learner_id --time period \
  --cohort cohort --methods ols,did --value-per-unit 1000 --cost-per-learner 1000 --format json -q >p.json
jq -c '{n_obs, n_treated, n_control, design, primary_method, roi_learners: .roi.inputs.learners,
  skipped: [.methods[] | select(.skipped) | .method], headline: .headline.verdict}' p.json
same() { [ "$2" = "$3" ] && echo "$1: same" || echo "$1: $2 vs $3"; }
same "did = attrib did" "$(jq '.methods[] | select(.method == "did") | .estimate' p.json)" \
  "$("$ATTRIB" did "$P" --outcome sales --unit learner_id --time period --cohort cohort --format json -q | jq .effect.estimate)"
"$ATTRIB" analyze "$P" --outcome sales --treat treated --covariates "prior_perf" --unit learner_id --time period \
  --cohort cohort --primary ols -q 2>&1; echo "exit $?"
# the cohorts from the treatment column alone (it switches on at the first treated period)
same "no --cohort" "$(jq '.headline.effect' p.json)" \
  "$("$ATTRIB" analyze "$P" --outcome sales --treat treated --covariates "prior_perf,tenure" --unit learner_id \
     --time period --methods did --format json -q | jq .headline.effect)"
# one adoption date
"$ATTRIB" simulate --design panel --adoption single --rows 400 --seed 2 -q -o s.csv
"$ATTRIB" analyze s.csv --outcome sales --treat treated --covariates "prior_perf" --unit learner_id --time period \
  --format json -q >s.json
jq -c '{design, primary_method, primary_reason, panel: (.panel | {adoption_period, n_pre_periods, n_post_periods}),
  methods: [.methods[] | .method]}' s.json
same "twfe = attrib did --estimator twfe" "$(jq '.methods[] | select(.method == "twfe") | .estimate' s.json)" \
  "$("$ATTRIB" did s.csv --outcome sales --unit learner_id --time period --cohort cohort --estimator twfe --format json -q |
     jq .effect.estimate)"
# columns: learner_id 1, period 3, cohort 4, prior_perf 9, sales 10; adoption at period 5 of 8
awk -F, 'NR > 1 { id = $1; if ($3 == 1) { x[id] = $9; d[id] = ($4 > 0) }
  if ($3 < 5) pre[id] += $10; else post[id] += $10 }
  END { print "learner_id,dy,d,prior_perf"; for (i = 1; i <= 400; i++) printf "%d,%.17g,%d,%s\n", i, post[i] / 4 - pre[i] / 4, d[i], x[i] }' s.csv >l.csv
close() { awk -v n="$1" -v a="$2" -v b="$3" 'BEGIN { d = a - b; if (d < 0) d = -d; m = b < 0 ? -b : b;
  print n ": " (d <= 1e-9 * (1 + m) ? "same" : a " vs " b) }'; }
close "ols = attrib ols on the learner rows" "$(jq '.methods[] | select(.method == "ols") | .estimate' s.json)" \
  "$("$ATTRIB" ols l.csv --formula "dy ~ d + prior_perf" --treat d --format json -q | jq .effect.estimate)"
close "psm = attrib psm on the learner rows" "$(jq '.methods[] | select(.method == "psm") | .estimate' s.json)" \
  "$("$ATTRIB" psm l.csv --treat d --outcome dy --covariates prior_perf --replace --format json -q | jq .effect.estimate)"
