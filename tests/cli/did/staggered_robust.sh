# The two robustness estimators beside Callaway-Sant'Anna on a simulated
# staggered panel: Sun-Abraham (--estimator sunab) and Borusyak-Jaravel-
# Spiess imputation (--estimator imputation), text output; then designs that
# need a note: no never-treated units (sunab compares with the last-treated
# cohort and leaves out its treated periods; imputation uses the not-yet
# treated), and a unit treated from the first period plus a missing row
# (sunab leaves the unit out, imputation reports its rows as not imputed).
"$ATTRIB" simulate --design panel --rows 120 --periods 6 --seed 5 -o p.csv -q
for e in sunab imputation; do
  "$ATTRIB" did p.csv --outcome sales --unit learner_id --time period --cohort cohort --estimator $e
  echo
done
awk -F, 'BEGIN { OFS = "," } NR > 1 && $4 == 0 { $4 = 6 } { print }' p.csv >nonever.csv
awk -F, 'BEGIN { OFS = "," } NR > 1 && $1 == 1 { $4 = 1 } NR > 1 && $1 == 2 && $3 == 4 { $10 = "" } { print }' p.csv >first.csv
for f in nonever first; do
  for e in sunab imputation; do
    echo "== $f, $e"
    "$ATTRIB" did $f.csv --outcome sales --unit learner_id --time period --cohort cohort --estimator $e -q --format json |
      jq -c '{n_obs, effect: .effect.estimate, se: .effect.std_error, counts, events: [.event_study[] | .event_time], warnings}'
  done
done
