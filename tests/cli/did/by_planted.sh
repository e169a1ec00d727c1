# did --by recovers an effect planted by role: a panel with one adoption date
# and a constant effect of 2 (attrib simulate --design panel --adoption single
# --heterogeneity 0, 3000 learners, seed 5), to whose treated rows the test adds
# k = 0 (Associate), 1 (Specialist), 2 (Senior), 3 (Lead), 4 (Manager), 5
# (Director): the true ATT of role k is 2 + k. Callaway-Sant'Anna and TWFE by
# role: every role within 3 SEs of its truth; the equality test rejects (p < 1e-6).
"$ATTRIB" simulate --design panel --rows 3000 --seed 5 --adoption single --heterogeneity 0 >p.csv
awk -F, -v OFS=, 'NR > 1 { split("Associate Specialist Senior Lead Manager Director", r, " ")
    for (k = 1; k <= 6; k++) if ($6 == r[k]) $10 = sprintf("%.6f", $10 + (k - 1) * $5) } 1' p.csv >h.csv
for est in cs twfe; do
  "$ATTRIB" did h.csv --outcome sales --unit learner_id --time period --cohort cohort --estimator $est --by role \
    -q --format json >by.json
  k=0
  for role in Associate Specialist Senior Lead Manager Director; do
    jq -r ".by.groups[] | select(.level == \"$role\") | [.effect.estimate, .effect.std_error] | @tsv" by.json |
      awk -v r="$est $role" -v t=$((2 + k)) '{ z = ($1 - t) / $2; if (z < 0) z = -z
        print r ": true " t ", " (z <= 3 ? "within 3 SEs" : "off by " z " SEs") }'
    k=$((k + 1))
  done
  jq -r '.by.equality_test | if .p_value < 1e-6 then "planted: equality rejected (\(.test))" else "planted: not rejected, p \(.p_value)" end' by.json
done
