# issue 17: on a staggered panel analyze adds the Sun-Abraham and
# imputation rows (each equal to attrib did --estimator sunab|imputation)
# and the honest parallel-trends bounds (relative magnitudes, Mbar 0 .. 2)
# on Callaway-Sant'Anna's event study with the universal base period, with
# the break-even in money: the Mbar at which the robust set's lower end
# reaches the ROI break-even effect. Checked here against the separate
# commands: the sets equal attrib did --base-period universal --honest rm's
# (to 1e-9), and breakeven_roi equals the Mbar found by bisection over
# repeated attrib did --honest rm --mbar M calls, where the set's ci_low
# crosses attrib roi's break-even effect: 16 halvings of [0, 2] leave a
# bracket of 3.1e-5, and the library's search stops at 1e-6 relative, so
# the two must agree within 1e-4.
"$ATTRIB" simulate --design panel --rows 300 --seed 7 --pretrend 0.05 -q -o s.csv
A="--outcome sales --unit learner_id --time period --cohort cohort"
"$ATTRIB" analyze s.csv $A --treat treated --covariates prior_perf --value-per-unit 100 --cost-per-learner 250 \
  --format json -q >a.json
jq -c '{methods: [.methods[] | select(.skipped | not) | .method], agreement: (.checks[] | select(.name == "agreement") | .verdict),
  honest: (.honest | {restriction, target, event_study, n_sets: (.sets | length), breakeven_status})}' a.json
close() { awk -v n="$1" -v a="$2" -v b="$3" -v tol="$4" 'BEGIN { d = a - b; if (d < 0) d = -d; m = b < 0 ? -b : b;
  print n ": " (d <= tol * (1 + m) ? "same" : a " vs " b) }'; }
for e in sunab imputation; do
  close "$e = attrib did --estimator $e" "$(jq ".methods[] | select(.method == \"$e\") | .estimate" a.json)" \
    "$("$ATTRIB" did s.csv $A --estimator $e --format json -q | jq .effect.estimate)" 1e-12
done
"$ATTRIB" did s.csv $A --base-period universal --honest rm --format json -q >d.json
for i in 0 1 2 3 4; do
  for k in ci_low ci_high; do
    close "set $i $k = attrib did --honest rm" "$(jq ".honest.sets[$i].$k" a.json)" "$(jq ".honest.sets[$i].$k" d.json)" 1e-9
  done
done
close "breakdown = attrib did --honest rm" "$(jq .honest.breakdown a.json)" "$(jq .honest.breakdown d.json)" 1e-9
# the ROI break-even effect from attrib roi on the same effect and inputs
be=$("$ATTRIB" roi --effect "$(jq .roi.inputs.effect a.json)" --se "$(jq .roi.inputs.se a.json)" \
  --learners "$(jq .roi.inputs.learners a.json)" --value-per-unit 100 --cost-per-learner 250 --format json -q | jq .breakeven_effect)
close "break-even effect = attrib roi" "$(jq .honest.breakeven_effect a.json)" "$be" 1e-12
lo=0; hi=2
for it in $(seq 16); do
  mid=$(awk -v a="$lo" -v b="$hi" 'BEGIN { printf "%.17g", (a + b) / 2 }')
  low=$("$ATTRIB" did s.csv $A --base-period universal --honest rm --mbar "$mid" --format json -q | jq .honest.sets[0].ci_low)
  if awk -v l="$low" -v e="$be" 'BEGIN { exit !(l > e) }'; then lo=$mid; else hi=$mid; fi
done
direct=$(awk -v a="$lo" -v b="$hi" 'BEGIN { printf "%.17g", (a + b) / 2 }')
echo "break-even Mbar in (0, 2): $(awk -v m="$direct" 'BEGIN { print (m > 0 && m < 2) ? "yes" : "no: " m }')"
close "breakeven_roi = bisection over attrib did --honest rm" "$(jq .honest.breakeven_roi a.json)" "$direct" 1e-4
# the sentence in the text report, with the number
"$ATTRIB" analyze s.csv $A --treat treated --covariates prior_perf --value-per-unit 100 --cost-per-learner 250 -q |
  grep -o "the ROI stays positive unless post-rollout trends diverge by more than [0-9.]*x the worst pre-rollout divergence"
# not applicable: no ROI inputs (a reason, not silence); a cross-section (null with a reason)
"$ATTRIB" analyze s.csv $A --treat treated --covariates prior_perf --format json -q |
  jq -c '{breakeven_roi: .honest.breakeven_roi, note: .honest.breakeven_roi_note}'
"$ATTRIB" analyze "$DATA/../../../datasets/learners_sample.csv" --outcome sales --treat trained --covariates prior_perf \
  --format json -q | jq -c '{honest, honest_note}'
