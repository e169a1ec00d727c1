# Issue 12, defect 7: `roi --from logit.json` took the log-odds coefficient
# (-0.87 on churn) as the change in the KPI and printed ROI -1149%. A logit
# or probit fit now writes the treatment's average marginal effect on
# P(y = 1) (the risk difference for a 0/1 treatment; tests/unit/
# test_logit_margins.c checks it against R at 1e-8), and roi takes that, or
# refuses with the reason.
cp "$DATA/learners.csv" .
"$ATTRIB" logit learners.csv --formula "churned ~ trained + tenure + engagement + factor(role)" --treat trained \
  --vcov hc1 --format json -o churn.json
jq -r '"coefficient (log-odds) \(.effect.estimate | . * 1e6 | round / 1e6); AME \(.average_marginal_effect.type) \(.average_marginal_effect.estimate | . * 1e6 | round / 1e6) (SE \(.average_marginal_effect.std_error | . * 1e6 | round / 1e6)), mean P \(.average_marginal_effect.p_treated | . * 1e4 | round / 1e4) vs \(.average_marginal_effect.p_control | . * 1e4 | round / 1e4)"' churn.json
# the ROI is that of the AME: a churn avoided is worth 8,000 (a change of
# -1 in P(churn) per learner is -8000 per learner: value per unit -8000)
"$ATTRIB" roi --from churn.json --learners 500 --value-per-unit -8000 --cost program=60000 --format json -o roi.json
jq -r '"effect \(.inputs.effect == ('"$(jq .average_marginal_effect.estimate churn.json)"')), se \(.inputs.se == ('"$(jq .average_marginal_effect.std_error churn.json)"')); source: \(.inputs.effect_source)"' roi.json
awk -v e="$(jq .average_marginal_effect.estimate churn.json)" -v r="$(jq .roi_pct roi.json)" 'BEGIN {
  w = 100 * (e * 500 * -8000 - 60000) / 60000; d = r - w; if (d < 0) d = -d;
  print (d < 1e-9 ? "ROI = 100 (AME x 500 x -8000 - 60000) / 60000" : "ROI " r " vs " w) }'
"$ATTRIB" roi --from churn.json --learners 500 --value-per-unit -8000 --cost program=60000 | sed -n '2,3p'
# probit: the same, on its own scale
"$ATTRIB" logit learners.csv --formula "churned ~ trained + tenure" --treat trained --link probit --format json -o p.json
"$ATTRIB" roi --from p.json --learners 500 --value-per-unit -8000 --cost program=60000 --format json |
  jq -r '"probit: effect from the AME \(.inputs.effect == ('"$(jq .average_marginal_effect.estimate p.json)"'))"'
# refused, with the reason: an interaction term has no average marginal effect
"$ATTRIB" logit learners.csv --formula "churned ~ trained * engagement" --treat trained:engagement --format json -o ia.json
jq -r '.average_marginal_effect | "interaction: estimate \(.estimate), reason: \(.reason)"' ia.json
"$ATTRIB" roi --from ia.json --learners 500 --value-per-unit -8000 --cost program=60000 >/dev/null 2>err; echo "exit $?: $(cat err)"
# a logit JSON without the average marginal effect (an older attrib's) is refused, not read as a KPI change
jq 'del(.average_marginal_effect)' churn.json >old.json
"$ATTRIB" roi --from old.json --learners 500 --value-per-unit -8000 --cost program=60000 >/dev/null 2>err; echo "exit $?: $(cat err)"
# a logit bootstrap's draws are of the coefficient: not accepted as the effect's
printf 'replicate,estimate\n' >d.csv; for i in $(seq 1 20); do echo "$i,-0.$i" >>d.csv; done
"$ATTRIB" roi --from churn.json --draws d.csv --learners 500 --cost program=60000 >/dev/null 2>err; echo "exit $?: $(head -1 err)"
# the text output of the fit says it, next to the coefficient
"$ATTRIB" logit learners.csv --formula "churned ~ trained + tenure" --treat trained | tail -2
"$ATTRIB" logit learners.csv --formula "churned ~ trained + tenure" --treat tenure | tail -1
