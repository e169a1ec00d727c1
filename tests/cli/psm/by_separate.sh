# psm --by: each group's effect and SE are exactly those of a run on that
# group's rows (the score model, the matching or weighting and the variance
# all within the group), for matching without and with replacement (the
# Abadie-Imbens SE corrected for the estimated score), a caliper, IPW and
# AIPW; the groups' n, treated and control counts likewise.
cp "$DATA/learners.csv" .
covs="prior_perf,engagement,tenure"
for flags in "" "--replace" "--caliper 0.2" "--method ipw" "--method aipw --estimand ate"; do
  # shellcheck disable=SC2086
  "$ATTRIB" psm learners.csv --treat trained --outcome sales --covariates "$covs" --by role $flags -q --format json >by.json
  for lv in Associate Director Lead Manager Senior Specialist; do
    awk -F, -v lv="$lv" 'NR == 1 || $4 == lv' learners.csv >sub.csv
    # shellcheck disable=SC2086
    "$ATTRIB" psm sub.csv --treat trained --outcome sales --covariates "$covs" $flags -q --format json >one.json
    a=$(jq -r ".by.groups[] | select(.level == \"$lv\") | [.effect.estimate, .effect.std_error, .effect.ci_low, .n_treated, .n_control] | @tsv" by.json)
    b=$(jq -r '[.effect.estimate, .effect.std_error, .effect.ci_low, .counts.n_treated, .counts.n_control] | @tsv' one.json)
    [ "$a" = "$b" ] && echo "[$flags] $lv: identical" || echo "[$flags] $lv: $a vs $b"
  done
done
# With independent groups the Wald statistic has a closed form: with w = 1/SE^2,
# W = sum w b^2 - (sum w b)^2 / sum w (the weighted spread of the effects), chi2 on G-1.
jq -r '.by.groups[] | [.effect.estimate, .effect.std_error] | @tsv' by.json |
  awk -v W="$(jq -r .by.equality_test.statistic by.json)" -v t="$(jq -r .by.equality_test.test by.json)" \
    '{ w = 1 / ($2 * $2); s0 += w; s1 += w * $1; s2 += w * $1 * $1 }
     END { c = s2 - s1 * s1 / s0; d = (W - c) / c; if (d < 0) d = -d
           print "wald " t ": " (d <= 1e-12 ? "equals the closed form" : "differs: " W " vs " c) }'
