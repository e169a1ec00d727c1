# IPW (ATT and ATE) and AIPW (ATE) on Lalonde: effect, SE method, and the
# balance after weighting.
for m in "ipw --estimand att" "ipw --estimand ate" "aipw --estimand ate"; do
  "$ATTRIB" psm "$DATA/lalonde.csv" --treat treat --outcome re78 --covariates "age,educ,race,married,nodegree,re74,re75" \
    --method $m --format json |
    jq -c '[.method, .estimand, (.effect.estimate, .effect.std_error | . * 1e6 | round / 1e6), .effect.se_method,
      (.balance.max_abs_smd_after * 1e9 | round / 1e9)]'
done
# the doubly robust ATT (AIPW, Sant'Anna & Zhao 2020 cross-section form)
# against ../reference/psm/make_aipw_att_reference.R (glm + lm + DRDID's
# influence function in R): estimate and SE to 1e-8 relative
read -r we ws < <(awk -F, 'NR == 2 { print $1, $2 }' "$DATA/../../reference/psm/aipw_att_expected.csv")
"$ATTRIB" psm "$DATA/lalonde.csv" --treat treat --outcome re78 --covariates "age,educ,race,married,nodegree,re74,re75" \
  --method aipw --estimand att -q --format json |
  jq -r --arg we "$we" --arg ws "$ws" '"aipw att: " + (if ((.effect.estimate / ($we | tonumber) - 1) | fabs) < 1e-8 and
    ((.effect.std_error / ($ws | tonumber) - 1) | fabs) < 1e-8 then "estimate and SE as the R reference" else
    "got \(.effect.estimate) \(.effect.std_error), want \($we) \($ws)" end) + "; \(.effect.se_method)"'
