# attrib did against tests/reference/did/make_did_reference.R (base R, lm,
# sandwich; definitions, not attrib's code): the 2x2 (with and without a
# covariate, clustered by unit and by team) and TWFE coefficients and CR1
# SEs to 1e-8 relative; every Callaway-Sant'Anna ATT(g,t), never and
# not-yet comparisons and one period of anticipation, to 1e-10 and its SE to 1e-8; the simple aggregation
# with the estimated cohort shares' influence function to 1e-8.
ref="$DATA/../../reference/did"
exp="$ref/did_expected.csv"
want() { awk -F, -v n="$1" '$1 == n { print $2, $3 }' "$exp"; }
check() { # label got want tol
  awk -v l="$1" -v g="$2" -v w="$3" -v t="$4" 'BEGIN { d = (g - w) / (w == 0 ? 1 : w); if (d < 0) d = -d;
    if (d <= t) print l ": ok"; else { print l ": got " g ", want " w; exit 1 } }'
}
both() { # label "est se" name tol_est
  read -r ge gs <<<"$2"
  read -r we ws < <(want "$3")
  check "$1 estimate" "$ge" "$we" "$4"
  check "$1 se" "$gs" "$ws" 1e-8
}
both "2x2" "$("$ATTRIB" did "$ref/did_2x2.csv" --outcome sales --treat treat --post post --cluster learner_id --format json | jq -r '"\(.effect.estimate) \(.effect.std_error)"')" 2x2 1e-10
both "2x2 + tenure, by team" "$("$ATTRIB" did "$ref/did_2x2.csv" --outcome sales --treat treat --post post --covariates tenure --cluster team -q --format json | jq -r '"\(.effect.estimate) \(.effect.std_error)"')" 2x2_cov_team 1e-8
both "twfe" "$("$ATTRIB" did "$ref/did_panel.csv" --outcome sales --unit learner_id --time period --cohort cohort --estimator twfe -q --format json | jq -r '"\(.effect.estimate) \(.effect.std_error)"')" twfe 1e-8
for ctrl in never notyet ant1; do
  case $ctrl in
    ant1) flags="--control never --anticipation 1" ;;
    *) flags="--control $ctrl" ;;
  esac
  "$ATTRIB" did "$ref/did_panel.csv" --outcome sales --unit learner_id --time period --cohort cohort $flags -q --format json >cs_$ctrl.json
  n=0
  while read -r g t e s; do
    both "ATT($g,$t) $ctrl" "$e $s" "gt_${ctrl}_${g}_${t}" 1e-10 >>cells_$ctrl.txt || { cat cells_$ctrl.txt; exit 1; }
    n=$((n + 1))
  done < <(jq -r '.group_time[] | "\(.group) \(.time) \(.att) \(.std_error)"' cs_$ctrl.json)
  echo "$ctrl: $n cells, $(grep -c ': ok' cells_$ctrl.txt) checks ok, $(grep -c -v ': ok' cells_$ctrl.txt) failed"
  [ "$n" = "$(grep -c "^gt_${ctrl}_" "$exp")" ] || echo "$ctrl: cell count differs from the reference"
done
both "simple aggregation" "$(jq -r '"\(.effect.estimate) \(.effect.std_error)"' cs_never.json)" simple 1e-10
# Goodman-Bacon (2021) Theorem 1 on the balanced panel: the weights sum to 1,
# the weighted 2x2 estimates reproduce the TWFE coefficient, and the cohort-3
# vs never-treated component matches its definition
"$ATTRIB" did "$ref/did_panel.csv" --outcome sales --unit learner_id --time period --cohort cohort --estimator twfe -q \
  --format json >twfe.json
check "bacon weights sum" "$(jq '[.bacon.components[].weight] | add' twfe.json)" 1 1e-12
check "bacon weighted sum = twfe" "$(jq '.bacon.weighted_sum' twfe.json)" "$(jq '.effect.estimate' twfe.json)" 1e-10
read -r wb _ < <(want bacon_3_never)
check "bacon 3 vs never" "$(jq '.bacon.components[] | select(.treated == 3 and .control == "never") | .estimate' twfe.json)" "$wb" 1e-10
# the TWFE event study (window -3..3, binned end points, reference -1) and its
# joint F test of the leads against lm + vcovCL; --vcov-out's diagonal is the
# squared SEs of the event-study rows (TWFE and CS)
"$ATTRIB" did "$ref/did_panel.csv" --outcome sales --unit learner_id --time period --cohort cohort --estimator twfe \
  --event-study --leads 3 --lags 3 -q --format json --vcov-out es_vcov.csv >es.json
while read -r e a se; do
  both "event time $e" "$a $se" "es_$e" 1e-8
done < <(jq -r '.event_study[] | "\(.event_time) \(.att) \(.std_error)"' es.json)
read -r wf wp < <(want es_pretest)
check "pre-trend F" "$(jq .pretest.statistic es.json)" "$wf" 1e-8
check "pre-trend p" "$(jq .pretest.p_value es.json)" "$wp" 1e-8
vcov_matches() { # json csv label
  paste -d' ' <(jq -r '.event_study[] | .std_error' "$1") <(awk -F, 'NR > 1 { print $(NR) }' "$2") |
    awk -v l="$3" '{ d = ($1 * $1 - $2) / $2; if (d < 0) d = -d; if (d > 1e-12) bad = 1; n++ }
      END { print l ": " (bad || n == 0 ? "vcov diagonal differs from the SEs" : n " event times, vcov diagonal = SE^2") }'
}
vcov_matches es.json es_vcov.csv "twfe --vcov-out"
"$ATTRIB" did "$ref/did_panel.csv" --outcome sales --unit learner_id --time period --cohort cohort -q --format json \
  --vcov-out cs_vcov.csv >cs.json
vcov_matches cs.json cs_vcov.csv "cs --vcov-out"
