# attrib ols --bootstrap against tests/reference/bootstrap/make_boot_reference.R.
# Wild cluster bootstrap, Rademacher, G = 8: all 256 sign vectors are used
# (2^G <= B), so the WCR p-value, the WCU studentized and percentile
# intervals and the draws' SD are deterministic: checked to 1e-9 against
# one lm + vcovCL per sign vector in R.
# Cluster bootstrap, B = 9999 here and in R's boot (R = 9999), different
# random numbers: a percentile end point's Monte Carlo SD is about
# sd * sqrt(.025 * .975 / B) / phi(z_.975) = 0.027 sd, so two independent
# runs differ by 0.038 sd on average; the test allows 0.15 sd (4 SDs) for
# percentile and 0.25 sd for BCa (whose z0 and acceleration are estimated
# differently: boot's regression on the replicates, ours the clusters'
# influence values), and 4% for the SD (its Monte Carlo SD is 0.7%).
ref="$DATA/../../reference/bootstrap"
want() { awk -F, -v n="$1" '$1 == n { print $2 }' "$ref/boot_expected.csv"; }
check() { # label got want tol [scale]
  awk -v l="$1" -v g="$2" -v w="$3" -v t="$4" -v s="${5:-}" 'BEGIN { d = g - w; if (d < 0) d = -d;
    if (s == "") { s = (w < 0 ? -w : w) } if (d <= t * s) print l ": ok"; else { print l ": got " g ", want " w; exit 1 } }'
}
run() { "$ATTRIB" ols "$ref/boot_data.csv" --formula "sales ~ trained + prior_perf + engagement" --cluster team \
  --treat trained -q --format json "$@"; }
run --bootstrap 999 --seed 1 --boot-type wild --ci studentized >wild.json
jq -r '"wild: \(.bootstrap.replicates) replicates, enumerated \(.bootstrap.enumerated)"' wild.json
check "WCR p-value" "$(jq .bootstrap.p_value wild.json)" "$(want wcr_p)" 1e-9
check "WCU studentized low" "$(jq .bootstrap.ci_low wild.json)" "$(want wcu_stud_low)" 1e-9
check "WCU studentized high" "$(jq .bootstrap.ci_high wild.json)" "$(want wcu_stud_high)" 1e-9
check "WCU draws SD" "$(jq .bootstrap.std_error wild.json)" "$(want wcu_sd)" 1e-9
run --bootstrap 999 --seed 1 --boot-type wild --ci percentile >wildp.json
check "WCU percentile low" "$(jq .bootstrap.ci_low wildp.json)" "$(want wcu_pct_low)" 1e-9
check "WCU percentile high" "$(jq .bootstrap.ci_high wildp.json)" "$(want wcu_pct_high)" 1e-9
sd=$(want cluster_sd)
for ci in percentile bca; do
  run --bootstrap 9999 --seed 1 --boot-type cluster --ci $ci >cl_$ci.json
done
check "cluster SD" "$(jq .bootstrap.std_error cl_percentile.json)" "$sd" 0.04
check "cluster percentile low" "$(jq .bootstrap.ci_low cl_percentile.json)" "$(want cluster_pct_low)" 0.15 "$sd"
check "cluster percentile high" "$(jq .bootstrap.ci_high cl_percentile.json)" "$(want cluster_pct_high)" 0.15 "$sd"
check "cluster BCa low" "$(jq .bootstrap.ci_low cl_bca.json)" "$(want cluster_bca_low)" 0.25 "$sd"
check "cluster BCa high" "$(jq .bootstrap.ci_high cl_bca.json)" "$(want cluster_bca_high)" 0.25 "$sd"
# pairs (rows) bootstrap, B = 9999 against boot's R = 9999, the same
# tolerances; the studentized interval (HC1 per replicate, boot's var.t0)
# gets the BCa allowance: its end points depend on extreme t* quantiles
psd=$(want pairs_sd)
for ci in percentile bca studentized; do
  "$ATTRIB" ols "$ref/boot_data.csv" --formula "sales ~ trained + prior_perf + engagement" --treat trained -q \
    --format json --bootstrap 9999 --seed 1 --boot-type pairs --ci $ci >pr_$ci.json
done
check "pairs SD" "$(jq .bootstrap.std_error pr_percentile.json)" "$psd" 0.04
check "pairs percentile low" "$(jq .bootstrap.ci_low pr_percentile.json)" "$(want pairs_pct_low)" 0.15 "$psd"
check "pairs percentile high" "$(jq .bootstrap.ci_high pr_percentile.json)" "$(want pairs_pct_high)" 0.15 "$psd"
check "pairs BCa low" "$(jq .bootstrap.ci_low pr_bca.json)" "$(want pairs_bca_low)" 0.25 "$psd"
check "pairs BCa high" "$(jq .bootstrap.ci_high pr_bca.json)" "$(want pairs_bca_high)" 0.25 "$psd"
check "pairs studentized low" "$(jq .bootstrap.ci_low pr_studentized.json)" "$(want pairs_stud_low)" 0.25 "$psd"
check "pairs studentized high" "$(jq .bootstrap.ci_high pr_studentized.json)" "$(want pairs_stud_high)" 0.25 "$psd"
# logit pairs bootstrap by weighted refits, B = 9999 against boot + glm with
# R = 4999: the end points' Monte Carlo SD is then about 0.047 sd for the
# pair of runs, so 0.2 sd (percentile) and 0.3 sd (BCa); 4% for the SD
lsd=$(want logit_sd)
for ci in percentile bca; do
  "$ATTRIB" logit "$ref/boot_data.csv" --formula "trained ~ prior_perf + engagement" --treat prior_perf -q \
    --format json --bootstrap 9999 --seed 1 --ci $ci >lg_$ci.json
done
check "logit SD" "$(jq .bootstrap.std_error lg_percentile.json)" "$lsd" 0.04
check "logit percentile low" "$(jq .bootstrap.ci_low lg_percentile.json)" "$(want logit_pct_low)" 0.2 "$lsd"
check "logit percentile high" "$(jq .bootstrap.ci_high lg_percentile.json)" "$(want logit_pct_high)" 0.2 "$lsd"
check "logit BCa low" "$(jq .bootstrap.ci_low lg_bca.json)" "$(want logit_bca_low)" 0.3 "$lsd"
check "logit BCa high" "$(jq .bootstrap.ci_high lg_bca.json)" "$(want logit_bca_high)" 0.3 "$lsd"
jq -r '"logit failed replicates: \(.bootstrap.n_failed)"' lg_percentile.json
# the same seed gives the same result for any thread count; --save-draws
# writes the replicate estimates whose SD is the reported SE
for t in cluster wild; do
  a=$(run --bootstrap 999 --seed 5 --boot-type $t --threads 1 | jq -c .bootstrap)
  b=$(run --bootstrap 999 --seed 5 --boot-type $t --threads 2 | jq -c .bootstrap)
  [ "$a" = "$b" ] && echo "$t, threads 1 and 2: identical" || echo "$t, threads 1 and 2: differ"
done
a=$("$ATTRIB" ols "$ref/boot_data.csv" --formula "sales ~ trained + prior_perf" --treat trained -q --format json \
  --bootstrap 999 --seed 5 --ci studentized --threads 1 | jq -c .bootstrap)
b=$("$ATTRIB" ols "$ref/boot_data.csv" --formula "sales ~ trained + prior_perf" --treat trained -q --format json \
  --bootstrap 999 --seed 5 --ci studentized --threads 2 | jq -c .bootstrap)
[ "$a" = "$b" ] && echo "pairs, threads 1 and 2: identical" || echo "pairs, threads 1 and 2: differ"
b=$(run --bootstrap 999 --seed 5 --boot-type cluster --save-draws draws.csv | jq -c .bootstrap)
awk -F, -v se="$(echo "$b" | jq .std_error)" 'NR > 1 { n++; s += $2; ss += $2 * $2 }
  END { sd = sqrt((ss - s * s / n) / (n - 1)); d = (sd - se) / se; if (d < 0) d = -d;
    print "draws file: " n " rows, " (d < 1e-9 ? "SD = the reported SE" : "SD differs: " sd " vs " se) }' draws.csv
# absorbed fixed effects: the wild bootstrap works on the demeaned data
# (Frisch-Waugh-Lovell), so absorbing region gives what region dummies give
x=$(run --bootstrap 999 --seed 2 --formula "sales ~ trained + prior_perf + factor(region)" | jq -r '.bootstrap | "\(.p_value) \(.ci_low)"')
y=$(run --bootstrap 999 --seed 2 --formula "sales ~ trained + prior_perf | region" | jq -r '.bootstrap | "\(.p_value) \(.ci_low)"')
read -r xp xl <<<"$x"; read -r yp yl <<<"$y"
check "FE absorbed vs dummies: p" "$yp" "$xp" 1e-12
check "FE absorbed vs dummies: CI" "$yl" "$xl" 1e-9
