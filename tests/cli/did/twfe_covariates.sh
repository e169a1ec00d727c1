# TWFE with time-varying covariates (issue 17): did --estimator twfe
# --covariates x is y ~ D + x | unit + time (x: a covariate varying within
# units and periods, sales shifted by 2 x, built here; the panel's tenure
# is unit + linear time, absorbed by the fixed effects). Its coefficient and
# CR1 SE equal attrib ols on the same formula with D built here (awk), and
# the coefficient equals the dummy-variable regression with factor(unit) and
# factor(period) written out (Frisch-Waugh-Lovell: absorbing the fixed
# effects changes nothing), to 1e-8.
p="$DATA/../../reference/did/did_panel.csv"
awk -F, -v OFS=, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; print $0, "D", "x"; next }
  { g = $c["cohort"] + 0; t = $c["period"] + 0; x = sin(1.3 * $c["learner_id"] * t) + 0.1 * t * (g > 0);
    $c["sales"] = sprintf("%.6f", $c["sales"] + 2 * x); print $0, (g > 0 && t >= g) ? 1 : 0, sprintf("%.6f", x) }' "$p" >withd.csv
p=withd.csv
"$ATTRIB" did "$p" --outcome sales --unit learner_id --time period --cohort cohort --estimator twfe --covariates x -q --format json >tw.json
"$ATTRIB" ols withd.csv --formula "sales ~ D + x | learner_id + period" --cluster learner_id -q --format json >ols.json
"$ATTRIB" ols withd.csv --formula "sales ~ D + x + factor(learner_id) + factor(period)" -q --format json >lsdv.json
jq -r --slurpfile o ols.json --slurpfile l lsdv.json '
  ($o[0].coefficients[] | select(.term == "D")) as $a | ($l[0].coefficients[] | select(.term == "D")) as $b |
  "twfe + x vs ols | unit + time: estimate \(if ((.effect.estimate - $a.estimate) | fabs) < 1e-8 then "equal" else "\(.effect.estimate) vs \($a.estimate)" end), SE \(if ((.effect.std_error - $a.std_error) / $a.std_error | fabs) < 1e-8 then "equal" else "\(.effect.std_error) vs \($a.std_error)" end)",
  "vs the dummy-variable regression: estimate \(if ((.effect.estimate - $b.estimate) | fabs) < 1e-8 then "equal" else "\(.effect.estimate) vs \($b.estimate)" end)",
  "with x: \(.effect.estimate | . * 1000 | round / 1000)",
  "warnings: \(.warnings | map(select(test("decomposition"))) | .[0] // "none")"' tw.json
"$ATTRIB" did "$p" --outcome sales --unit learner_id --time period --cohort cohort --estimator twfe -q --format json | jq -r '"no covariates: \(.effect.estimate | . * 1000 | round / 1000)"'
"$ATTRIB" did "$p" --outcome sales --unit learner_id --time period --cohort cohort --estimator twfe --event-study --covariates x -q --format json | jq -r '"event study with x: \(.event_study | length) event times, effect \(.effect.estimate | . * 1000 | round / 1000)"'
