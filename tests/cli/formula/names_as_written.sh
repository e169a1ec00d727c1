# Issue 14: column names as exported from Excel (spaces, accents,
# punctuation) work in every flag that takes a column, as written, and in
# formulas in backquotes. Names given to flags go into the model directly,
# never through a formula string.
awk 'function u() { s = (s * 16807) % 2147483647; return s / 2147483647 }
BEGIN {
  s = 3
  print "Weekly Sales,Completed Training,après,tenure (years),rôle"
  for (i = 0; i < 400; i++) {
    tr = i % 2; post = int(i / 2) % 2; x = u() * 10
    y = 50 + 3 * tr + 2 * post + 4 * tr * post + 0.8 * x + 5 * u()
    printf "%.3f,%d,%d,%.2f,%s\n", y, tr, post, x, (u() < 0.5 ? "Manager" : "Associate")
  }
}' >excel.csv
j() { jq -c "$@"; }
"$ATTRIB" ols excel.csv --formula '`Weekly Sales` ~ `Completed Training` + `tenure (years)` + rôle' --format json |
  j '[.coefficients[] | {term, estimate: (.estimate * 1e6 | round / 1e6)}]'
"$ATTRIB" psm excel.csv --treat "Completed Training" --outcome "Weekly Sales" --covariates "tenure (years),rôle" --format json |
  j '{formula: .propensity.formula, estimate: (.effect.estimate * 1e6 | round / 1e6)}'
"$ATTRIB" did excel.csv --outcome "Weekly Sales" --treat "Completed Training" --post après --covariates "tenure (years)" --format json |
  j '{estimate: (.effect.estimate * 1e6 | round / 1e6)}'
"$ATTRIB" ols excel.csv --formula '`Weekly Sales` ~ `Completed Training` * après + `tenure (years)`' --vcov hc1 --format json |
  j '[.coefficients[] | select(.term == "Completed Training:après") | .estimate * 1e6 | round / 1e6]'
"$ATTRIB" analyze excel.csv --outcome "Weekly Sales" --treat "Completed Training" --covariates "tenure (years),factor(rôle)" \
  --methods ols --format json | j '{covariates, ols: (.methods[0].estimate * 1e6 | round / 1e6)}'
# a panel whose unit and period columns have spaces
awk 'function u() { s = (s * 16807) % 2147483647; return s / 2147483647 }
BEGIN {
  s = 5; print "learner id,period no,first period,y"
  for (i = 1; i <= 60; i++) { g = i % 3 == 0 ? 0 : (i % 3 == 1 ? 3 : 5); a = u()
    for (p = 1; p <= 6; p++) printf "%d,%d,%d,%.4f\n", i, p, g, a + 0.2 * p + (g && p >= g ? 2 : 0) + u() }
}' >panel.csv
"$ATTRIB" did panel.csv --outcome y --unit "learner id" --time "period no" --cohort "first period" --estimator twfe --format json -q |
  j '{estimator, estimate: (.effect.estimate * 1e6 | round / 1e6)}'
# a flag's name that is not a column, and an item of --covariates that is neither a column nor a term
"$ATTRIB" psm excel.csv --treat "Completed Training" --outcome "Weekly Sales" --covariates "tenure (years),Weekly Sale"
echo "exit $?"
"$ATTRIB" psm excel.csv --treat "Completed Training" --outcome "Weekly Sales" --covariates "tenure (years),rôle:(après"
echo "exit $?"
