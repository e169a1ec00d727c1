# Issue 12, defect 5: analyze refused 200 covariates ("--covariates is too
# long": its formulas lived in char[2048]). Its OLS must be the regression
# written out as one formula (attrib ols), and its PSM the psm command's.
awk 'function u() { s = (s * 16807) % 2147483647; return s / 2147483647 } # Park-Miller: exact in doubles
BEGIN {
  s = 11
  printf "treat,y"; for (j = 0; j < 200; j++) printf ",baseline_measure_%03d", j; printf "\n"
  for (i = 0; i < 2000; i++) {
    for (j = 0; j < 200; j++) x[j] = sprintf("%.3f", u() + u() + u() - 1.5)
    t = u() < 1 / (1 + exp(-(x[0] - x[1]))) ? 1 : 0
    printf "%d,%.3f", t, 1.5 * t + x[0] + x[1] + u()
    for (j = 0; j < 200; j++) printf ",%s", x[j]
    printf "\n"
  }
}' >wide.csv
list=$(seq -f 'baseline_measure_%03g' 0 199 | paste -sd, -)
rhs=$(seq -f 'baseline_measure_%03g' 0 199 | paste -sd+ - | sed 's/+/ + /g')
"$ATTRIB" analyze wide.csv --outcome y --treat treat --covariates "$list" --methods ols,psm --format json >a.json
echo "exit $?"
"$ATTRIB" ols wide.csv --formula "y ~ treat + $rhs" --vcov hc1 --format json >o.json
"$ATTRIB" psm wide.csv --treat treat --outcome y --covariates "$list" --replace --format json -q >p.json
jq -c '{variables: (.cohort.variables | length), covariates_shown: (.covariates | length),
        methods: [.methods[] | {method, estimate: (.estimate * 1e6 | round / 1e6)}]}' a.json
echo "ols written out: $(jq '.coefficients | length' o.json) coefficients; same estimate and SE as analyze's OLS:" \
  "$(jq -n --slurpfile a a.json --slurpfile o o.json \
    '($o[0].coefficients[] | select(.term == "treat")) as $t | $a[0].methods[0] | .estimate == $t.estimate and .std_error == $t.std_error')"
echo "psm command: same estimate as analyze's PSM: $(jq -n --slurpfile a a.json --slurpfile p p.json '$a[0].methods[1].estimate == $p[0].effect.estimate')"
