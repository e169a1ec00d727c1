# Rosenbaum's bound in analyze (1:1 pairs, one-sided signed-rank test at
# alpha = 1 - level) reads the library's critical_status: a clear effect has
# a critical Gamma, equal to attrib sensitivity rosenbaum's on the same data;
# pairs not significant even without hidden bias say so in the text, the JSON
# and the report (the line used to be left out without a word); a clear
# decrease is tested in its own direction ("less"), which equals the
# command's bound on the negated outcome (testing "greater" called it not
# significant, p = 0.98).
C="prior_perf,engagement,tenure,factor(role)"
for e in 3 0 -3; do
  "$ATTRIB" simulate --rows 600 --seed 7 --effect "$e" -q -o e$e.csv
  "$ATTRIB" analyze e$e.csv --outcome sales --treat trained --covariates "$C" -q --report r$e.html | sed -n '/^Sensitivity/p'
  "$ATTRIB" analyze e$e.csv --outcome sales --treat trained --covariates "$C" -q --format json >a$e.json
  jq -c '.sensitivity | {critical_gamma, rosenbaum}' a$e.json
  grep -o '<li>Rosenbaum[^<]*</li>' r$e.html
done
same() { [ "$2" = "$3" ] && echo "$1: same" || echo "$1: $2 vs $3"; }
same "effect 3: critical Gamma = sensitivity rosenbaum" "$(jq .sensitivity.critical_gamma a3.json)" \
  "$("$ATTRIB" sensitivity rosenbaum e3.csv --treat trained --outcome sales --covariates "$C" --format json -q | jq .critical_gamma)"
same "effect 0: no critical Gamma, as sensitivity rosenbaum" "$(jq .sensitivity.rosenbaum.p_gamma_1 a0.json)" \
  "$("$ATTRIB" sensitivity rosenbaum e0.csv --treat trained --outcome sales --covariates "$C" --format json -q | jq .p_gamma_1)"
# columns: trained 17, sales 19
awk -F, 'BEGIN { OFS = "," } NR > 1 { $19 = -$19 } { print }' e-3.csv >neg.csv
same "effect -3: critical Gamma = sensitivity rosenbaum on -sales" "$(jq .sensitivity.critical_gamma a-3.json)" \
  "$("$ATTRIB" sensitivity rosenbaum neg.csv --treat trained --outcome sales --covariates "$C" --format json -q | jq .critical_gamma)"
