# Issue 12, defect 5: a propensity model of 120 covariates kept 85 of them
# (its formula was cut at 511 bytes; exit 0) and 400 ended in "no column".
# Every covariate must be in the score model, with the coefficients of the
# same model written as one formula (attrib logit).
awk 'function u() { s = (s * 16807) % 2147483647; return s / 2147483647 } # Park-Miller: exact in doubles
BEGIN {
  s = 7
  printf "treat,y"; for (j = 0; j < 400; j++) printf ",cov_%03d", j; printf "\n"
  for (i = 0; i < 3000; i++) {
    z = 0
    for (j = 0; j < 400; j++) { x[j] = sprintf("%.3f", u() + u() + u() - 1.5); }
    z = 1.2 * x[0] - 0.9 * x[1] + 0.6 * x[2]
    t = u() < 1 / (1 + exp(-z)) ? 1 : 0
    printf "%d,%.3f", t, 2 * t + x[0] + 0.5 * x[1] + u()
    for (j = 0; j < 400; j++) printf ",%s", x[j]
    printf "\n"
  }
}' >wide.csv
for p in 120 400; do
  list=$(seq -f 'cov_%03g' 0 $((p - 1)) | paste -sd, -)
  rhs=$(seq -f 'cov_%03g' 0 $((p - 1)) | paste -sd+ - | sed 's/+/ + /g')
  "$ATTRIB" psm wide.csv --treat treat --outcome y --covariates "$list" --replace --format json >psm.json
  echo "exit $?"
  "$ATTRIB" logit wide.csv --formula "treat ~ $rhs" --format json >logit.json
  echo "$p covariates: score model terms $(jq '.propensity.coefficients | length' psm.json)," \
    "formula ends '$(jq -r '.propensity.formula[-9:]' psm.json)'," \
    "logit of the formula written out: $(jq '.coefficients | length' logit.json) terms," \
    "coefficients $(jq -n --slurpfile a psm.json --slurpfile b logit.json \
      'if ($a[0].propensity.coefficients | map(.estimate)) == ($b[0].coefficients | map(.estimate)) then "identical" else "differ" end')," \
    "effect $(jq '.effect.estimate * 1e6 | round / 1e6' psm.json)"
done
