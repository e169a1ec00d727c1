# did --by: each group's effect, SE and interval are exactly those of a run on
# that group's rows: Callaway-Sant'Anna, TWFE (clustered by unit), and the 2x2
# regression clustered by unit; the group's n likewise. With independent
# groups the Wald statistic has the closed form sum w b^2 - (sum w b)^2 / sum w
# (w = 1/SE^2), divided by G-1 for the F form.
"$ATTRIB" simulate --design panel --rows 1500 --seed 3 --adoption single >p.csv
# the 2x2 columns: ever treated, and the periods from the adoption date (5) on
awk -F, -v OFS=, 'NR == 1 { print $0, "g", "post"; next } { print $0, ($4 > 0), ($3 >= 5) }' p.csv >p2.csv
for spec in "cs;--unit learner_id --time period --cohort cohort" \
  "twfe;--unit learner_id --time period --cohort cohort --estimator twfe" \
  "2x2;--treat g --post post --cluster learner_id"; do
  name=${spec%%;*}; flags=${spec#*;}
  # shellcheck disable=SC2086
  "$ATTRIB" did p2.csv --outcome sales $flags --by role -q --format json >by.json
  for lv in Associate Director Lead Manager Senior Specialist; do
    awk -F, -v lv="$lv" 'NR == 1 || $6 == lv' p2.csv >sub.csv
    # shellcheck disable=SC2086
    "$ATTRIB" did sub.csv --outcome sales $flags -q --format json >one.json
    a=$(jq -r ".by.groups[] | select(.level == \"$lv\") | [.effect.estimate, .effect.std_error, .effect.ci_low] | @tsv" by.json)
    b=$(jq -r '[.effect.estimate, .effect.std_error, .effect.ci_low] | @tsv' one.json)
    [ "$a" = "$b" ] && echo "$name $lv: identical" || echo "$name $lv: $a vs $b"
  done
  jq -r '.by.groups[] | [.effect.estimate, .effect.std_error] | @tsv' by.json |
    awk -v W="$(jq -r .by.equality_test.statistic by.json)" -v t="$(jq -r .by.equality_test.test by.json)" \
      '{ w = 1 / ($2 * $2); s0 += w; s1 += w * $1; s2 += w * $1 * $1; G++ }
       END { c = s2 - s1 * s1 / s0; if (t == "F") c /= G - 1; d = (W - c) / c; if (d < 0) d = -d
             print "'"$name"' wald " t ": " (d <= 1e-12 ? "equals the closed form" : "differs: " W " vs " c) }'
done
