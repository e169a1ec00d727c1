# IPW (ATT and ATE) and AIPW (ATE) on Lalonde: effect, SE method, and the
# balance after weighting.
for m in "ipw --estimand att" "ipw --estimand ate" "aipw --estimand ate"; do
  "$ATTRIB" psm "$DATA/lalonde.csv" --treat treat --outcome re78 --covariates "age,educ,race,married,nodegree,re74,re75" \
    --method $m --format json |
    jq -c '[.method, .estimand, (.effect.estimate, .effect.std_error | . * 1e6 | round / 1e6), .effect.se_method,
      (.balance.max_abs_smd_after * 1e9 | round / 1e9)]'
done
