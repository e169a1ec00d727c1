# The multiplier bootstrap of the weighting estimators: replicate b is the
# estimate + (1/n) sum xi_bi psi_i with psi the influence values behind the
# analytic SE, so the replicates' SD estimates that SE: within 10% at
# B = 999 (its Monte Carlo SD is 1/sqrt(2B) = 2.2%). Identical for 1 and 2
# threads on 150k rows (several chunks); --save-draws writes B rows.
L="$DATA/lalonde.csv"
C="age,educ,race,married,nodegree,re74,re75"
for m in "aipw --estimand ate" "ipw --estimand att" "ipw --estimand ate"; do
  "$ATTRIB" psm "$L" --treat treat --outcome re78 --covariates "$C" --method $m --bootstrap 999 --seed 2 -q --format json |
    jq -r --arg m "$m" '"\($m): " + (if ((.bootstrap.std_error - .effect.std_error) / .effect.std_error | fabs) < 0.10
      then "bootstrap SD within 10% of the analytic SE" else "SD \(.bootstrap.std_error) vs SE \(.effect.std_error)" end)'
done
"$ATTRIB" simulate --rows 150000 --seed 3 -o big.csv -q
for t in 1 2; do
  "$ATTRIB" psm big.csv --treat trained --outcome sales --covariates "prior_perf,engagement,tenure,factor(role)" \
    --method aipw --estimand ate --bootstrap 199 --seed 8 --ci basic --threads $t -q --format json | jq -c .bootstrap >t$t.json
done
cmp -s t1.json t2.json && echo "threads 1 and 2: identical" || echo "threads 1 and 2: differ"
"$ATTRIB" psm "$L" --treat treat --outcome re78 --covariates "$C" --method ipw --bootstrap 999 --save-draws d.csv -q >/dev/null
echo "draws: $(($(wc -l <d.csv) - 1)) rows"
"$ATTRIB" psm "$L" --treat treat --outcome re78 --covariates "$C" --method ipw --bootstrap 999 --boot-type pairs 2>&1 | head -1
# --cluster draws one multiplier per cluster (the clusters' summed influence values)
"$ATTRIB" psm big.csv --treat trained --outcome sales --covariates "prior_perf,engagement,tenure,factor(role)" \
  --method aipw --estimand ate --bootstrap 199 --seed 8 --cluster team -q --format json |
  jq -r '"clustered: \(.bootstrap.n_clusters) clusters, " + (if ((.bootstrap.std_error - .effect.std_error) / .effect.std_error | fabs) < 0.25 then "SD near the unclustered SE (independent learners)" else "SD \(.bootstrap.std_error) vs \(.effect.std_error)" end)'
"$ATTRIB" psm "$L" --treat treat --outcome re78 --covariates "$C" --method ipw --cluster re74 2>&1 | head -1
