# issue 18: analyze --mediator runs attrib mediate's analysis on the study's data. Every number of
# its `mediation` object (the ten quantities with their intervals, rho at zero, the models, the
# sensitivity curve) equals attrib mediate's on the same file, covariates, seed and level, exactly;
# the HTML report's mediation section carries the JSON's numbers; and on data planted with a known
# mediated share each interval covers the truth.
cp "$DATA/../../../datasets/learners_sample.csv" l.csv
covs="prior_perf,engagement,tenure,factor(role)"
"$ATTRIB" analyze l.csv --outcome sales --treat trained --covariates "$covs" --mediator training_hours --seed 3 \
  --level 0.9 -q --format json --report r.html >a.json
"$ATTRIB" mediate l.csv --treat trained --mediator training_hours --outcome sales --covariates "$covs" --seed 3 \
  --level 0.9 --format json >m.json
keys='del(.covariates)' # mediate shows the flag's text "a,b", analyze its formula "a + b"
[ "$(jq -cS ".mediation | $keys" a.json)" = "$(jq -cS "del(.command, .source) | $keys" m.json)" ] &&
  echo "mediation = attrib mediate: every key the same" || echo "mediation differs from attrib mediate"
jq -c '.mediation | {n_obs, sims, seed, level, acme: .acme.estimate, rho_at_zero}' a.json
same() { awk -v k="$1" -v a="$2" -v b="$3" 'BEGIN { print k ": " (a != "" && a + 0 == b + 0 ? "page = json" : a " vs " b) }'; }
for k in acme ade total_effect prop_mediated; do
  same "$k" "$(grep -o "data-key=\"mediation_$k\" data-value=\"[^\"]*\"" r.html | sed 's/.*data-value="\(.*\)"/\1/')" \
    "$(jq ".mediation.$k.estimate" a.json)"
done
same rho_at_zero "$(grep -o 'data-key="mediation_rho_at_zero" data-value="[^"]*"' r.html | sed 's/.*data-value="\(.*\)"/\1/')" \
  "$(jq '.mediation.rho_at_zero' a.json)"
grep -o '<section id="mediation"><h2>[^<]*' r.html
# the text's block
"$ATTRIB" analyze l.csv --outcome sales --treat trained --covariates "$covs" --mediator training_hours --no-pilot -q |
  sed -n '/^Through the mediator/,$p'
# planted truth (a generator with fixed numbers: a Park-Miller stream, Box-Muller normals):
#   M = 1 + 2 T + 0.5 X + e2,  Y = 3 + T + 1.5 M + 0.8 X + 2 e3,  T alternating, X, e2, e3 N(0, 1)
# so ACME = 2 x 1.5 = 3, ADE = 1, total 4, share mediated 0.75 (3000 learners)
awk 'function u() { s = (s * 16807) % 2147483647; return s / 2147483647 }
  function g() { return sqrt(-2 * log(u())) * cos(6.283185307179586 * u()) }
  BEGIN { s = 20261207; print "learner,t,x,m,y"
    for (i = 1; i <= 3000; i++) { t = i % 2; x = g(); m = 1 + 2 * t + 0.5 * x + g(); y = 3 + t + 1.5 * m + 0.8 * x + 2 * g()
      printf "%d,%d,%.6f,%.6f,%.6f\n", i, t, x, m, y } }' >planted.csv
"$ATTRIB" analyze planted.csv --outcome y --treat t --covariates x --mediator m --methods ols -q --format json >p.json
jq -r '.mediation | [["acme", 3], ["ade", 1], ["total_effect", 4], ["prop_mediated", 0.75]][] as [$k, $truth]
  | .[$k] | "\($k): truth \($truth) " + (if .ci_low <= $truth and $truth <= .ci_high then "within" else "OUTSIDE" end)
    + " the 95% interval"' p.json
