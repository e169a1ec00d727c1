# attrib analyze runs each step through the same library call as the single
# command, so every number must equal what that command prints: the OLS,
# matching (with replacement, corrected SE), doubly robust ATT and DiD
# estimates; the ROI from the primary estimate; the E-value of that effect
# as a standardised difference; the robustness value; Rosenbaum's critical
# Gamma on 1:1 pairs. Also the contract's keys.
S="$DATA/../../../datasets/learners_sample.csv"
C="prior_perf,engagement,tenure,factor(role)"
"$ATTRIB" analyze "$S" --outcome sales --treat trained --covariates "$C" --cluster team --learners 200 \
  --value-per-unit 1000 --horizon 12 --margin 0.3 --attribution 0.7 --cost-per-learner 1000 --cost platform=20000 \
  --format json >a.json
jq -r '"keys: " + ([has("methods", "checks", "roi", "sensitivity")] | all | tostring) + ", methods " + ([.methods[].method] | join(",")) + ", checks " + ([.checks[] | "\(.name)=\(.verdict)"] | join(","))' a.json
same() { [ "$2" = "$3" ] && echo "$1: same" || echo "$1: $2 vs $3"; }
same "ols" "$(jq '.methods[] | select(.method == "ols") | .estimate' a.json)" \
  "$("$ATTRIB" ols "$S" --formula "sales ~ trained + prior_perf + engagement + tenure + factor(role)" --cluster team --treat trained --format json -q | jq .effect.estimate)"
same "psm" "$(jq '.methods[] | select(.method == "psm") | [.estimate, .std_error]' -c a.json)" \
  "$("$ATTRIB" psm "$S" --treat trained --outcome sales --covariates "$C" --replace --format json -q | jq -c '[.effect.estimate, .effect.std_error]')"
same "aipw" "$(jq '.methods[] | select(.method == "aipw") | .estimate' a.json)" \
  "$("$ATTRIB" psm "$S" --treat trained --outcome sales --covariates "$C" --method aipw --estimand att --format json -q | jq .effect.estimate)"
read -r e se <<<"$(jq -r '"\(.methods[0].estimate) \(.roi.inputs.se)"' a.json)"
# the ROI interval is the effect's interval carried through the (linear) ROI: with CR1 the effect's
# interval uses t with G - 1 df, so the SE given to ROI is its half-width / z (roi.se_source)
jq -r '.roi.se_source' a.json
roi_at() { "$ATTRIB" roi --effect "$1" --learners 200 --value-per-unit 1000 --horizon 12 --margin 0.3 --attribution 0.7 \
  --cost-per-learner 1000 --cost platform=20000 --format json | jq .roi_pct; }
read -r lo hi <<<"$(jq -r '.methods[0] | "\(.ci_low) \(.ci_high)"' a.json)"
awk -v a="$(jq .roi.roi_ci_low_pct a.json)" -v b="$(roi_at "$lo")" -v c="$(jq .roi.roi_ci_high_pct a.json)" -v d="$(roi_at "$hi")" \
  'BEGIN { x = a - b; y = c - d; print "ROI interval = ROI at the effect interval: " ((x < 1e-9 && x > -1e-9 && y < 1e-9 && y > -1e-9) ? "yes" : a " " b " " c " " d) }'
same "roi" "$(jq -c '.roi | [.roi_pct, .roi_ci_low_pct, .prob_roi_positive]' a.json)" \
  "$("$ATTRIB" roi --effect "$e" --se "$se" --learners 200 --value-per-unit 1000 --horizon 12 --margin 0.3 --attribution 0.7 \
     --cost-per-learner 1000 --cost platform=20000 --format json | jq -c '[.roi_pct, .roi_ci_low_pct, .prob_roi_positive]')"
same "critical gamma" "$(jq '.sensitivity.critical_gamma' a.json)" \
  "$("$ATTRIB" sensitivity rosenbaum "$S" --treat trained --outcome sales --covariates "$C" --gamma 1 --format json | jq .critical_gamma)"
# the scenarios and tornado: roi --sweep over the same grid (each input 20%
# lower and higher, attribution from 0.5 to 1, the effect +-20%)
awk -v e="$e" 'BEGIN { printf "%.17g,%.17g\n", 0.8 * e, 1.2 * e }' >eff.txt
# (to 1e-12 relative: 9.6 here is 0.8 x 12 there, a last-digit difference)
close() { paste -d' ' <(echo "$2" | jq '.[]') <(echo "$3" | jq '.[]') |
  awk -v n="$1" '{ d = $1 - $2; if (d < 0) d = -d; m = $2 < 0 ? -$2 : $2; bad += d > 1e-12 * (1 + m) }
    END { print n ": " (bad ? "differ" : "same") " (" NR " values)" }'; }
close "scenarios" "$(jq -c '[.sensitivity.scenarios[].roi_pct]' a.json)" \
  "$("$ATTRIB" roi --effect "$e" --se "$se" --learners 200 --value-per-unit 1000 --horizon 12 --margin 0.3 --attribution 0.7 \
     --cost-per-learner 1000 --cost platform=20000 --sweep value_per_unit=800,1200 --sweep learners=160,240 \
     --sweep horizon=9.6,14.4 --sweep attribution=0.5,1 --sweep "effect=$(cat eff.txt)" --format json |
     jq -c '[.sweep.scenarios[].roi_pct]')"
jq -r '"attribution sweep: \(.sensitivity.attribution_sweep | length) shares, ROI rising: \([.sensitivity.attribution_sweep[].roi_pct] == ([.sensitivity.attribution_sweep[].roi_pct] | sort))"' a.json
P="$DATA/../../../datasets/panel_sample.csv"
"$ATTRIB" analyze "$P" --outcome sales --treat treated --covariates "prior_perf,tenure" --unit learner_id --time period \
  --cohort cohort --methods did --format json >p.json
same "did" "$(jq '.methods[0].estimate' p.json)" \
  "$("$ATTRIB" did "$P" --outcome sales --unit learner_id --time period --cohort cohort --format json -q | jq .effect.estimate)"
jq -r '.checks[] | select(.name == "pre_trends") | "pre-trend check: \(.verdict)"' p.json
"$ATTRIB" analyze "$S" --outcome sales --treat trained --covariates "$C" --format csv 2>&1 | head -1
"$ATTRIB" analyze "$S" --outcome sales --treat trained 2>&1 | head -1
"$ATTRIB" analyze "$S" --outcome sales --treat trained --covariates "$C" --methods did 2>&1 | head -1
