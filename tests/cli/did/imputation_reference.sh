# Borusyak, Jaravel & Spiess (--estimator imputation):
# 1. brute force on tests/reference/did/did_panel.csv: the untreated-only
#    two-way fixed-effects fit through attrib ols with explicit unit and
#    period dummies on the untreated rows (never treated, or before the
#    cohort), the treated rows' untreated outcomes imputed from its
#    coefficients and the effects averaged by hand: the overall effect and
#    every horizon to 1e-10 relative.
# 2. the conservative clustered variance on a tiny unbalanced panel, against
#    a dense re-implementation here in awk (normal equations of the
#    untreated fit solved by Gauss-Jordan; v = -Z0 (Z0'Z0)^-1 Z1'w; treated
#    residuals tau minus the mean of the other units of the same cohort and
#    period, or their own mean when alone; Var = sum over units of
#    (sum v e)^2): every estimate and SE to 1e-10. The panel has a unit of a
#    cohort treated in the first period and a unit observed only while
#    treated: their treated rows are reported as not imputed, not dropped
#    silently.
# 3. the pre-trend test against the Wald F of the lead dummies in attrib ols.
ref="$REFERENCE/did/did_panel.csv"
check() { # label got want tol
  awk -v l="$1" -v g="$2" -v w="$3" -v t="$4" 'BEGIN { d = (g - w) / (w == 0 ? 1 : w); if (d < 0) d = -d;
    if (d <= t && g != "" && w != "") print l ": ok"; else { print l ": got " g ", want " w; exit 1 } }'
}
"$ATTRIB" did "$ref" --outcome sales --unit learner_id --time period --cohort cohort --estimator imputation -q \
  --format json >imp.json
awk -F, 'NR == 1 || $4 == 0 || $3 < $4' "$ref" >untreated.csv
"$ATTRIB" ols untreated.csv --formula "sales ~ factor(learner_id) + factor(period)" -q --format json >fit.json
jq -r '.coefficients[] | "\(.term) \(.estimate)"' fit.json >coef.txt
# tau for each treated row: y - (intercept + unit dummy + period dummy)
awk -F, 'FNR == NR { split($0, p, " "); c[p[1]] = p[2]; next }
  FNR > 1 && $4 > 0 && $3 >= $4 { u = c["factor(learner_id)" $1] + 0; t = c["factor(period)" $3] + 0
    printf "%d %.17g\n", $3 - $4, $10 - (c["(Intercept)"] + u + t) }' coef.txt "$ref" >tau.txt
check "overall effect" "$(jq .effect.estimate imp.json)" "$(awk '{ s += $2; n++ } END { printf "%.17g", s / n }' tau.txt)" 1e-10
bad=0
while read -r h a; do
  check "horizon $h" "$a" "$(awk -v h="$h" '$1 == h { s += $2; n++ } END { printf "%.17g", s / n }' tau.txt)" 1e-10 >>h.txt || bad=1
done < <(jq -r '.event_study[] | "\(.event_time) \(.att)"' imp.json)
[ "$bad" = 0 ] || cat h.txt
echo "horizons: $(grep -c ': ok' h.txt) of $(jq '.event_study | length' imp.json) ok"
jq -c '.counts' imp.json
# BJS's pre-trend test (test 1): on the untreated rows, y on one dummy per
# lead (1..6 periods before the cohort) | learner + period, clustered: the
# Wald F of all slopes of attrib ols is the same test (1e-10)
awk -F, 'NR == 1 { print $0 ",l1,l2,l3,l4,l5,l6"; next } $4 == 0 || $3 < $4 { line = $0
  for (l = 1; l <= 6; l++) line = line "," (($4 > 0 && $4 - $3 == l) ? 1 : 0); print line }' "$ref" >leads.csv
"$ATTRIB" ols leads.csv --formula "sales ~ l1 + l2 + l3 + l4 + l5 + l6 | learner_id + period" --cluster learner_id \
  --fe-tol 1e-14 -q --format json >leads.json
check "pre-trend F" "$(jq .pretest.statistic imp.json)" "$(jq .f_statistic leads.json)" 1e-10
check "pre-trend df" "$(jq .pretest.df imp.json)" "$(jq .f_df1 leads.json)" 0
check "pre-trend p" "$(jq .pretest.p_value imp.json)" "$(jq .f_p_value leads.json)" 1e-8

# 2. the tiny panel: units 1-2 never treated (unit 2 misses period 4), 3-4 and
# 9 cohort 3 (9 seen only from period 3), 5-6 cohort 4, 7 cohort 1 (treated
# in the first period), 8 cohort 5 alone in its cohort
awk 'BEGIN { OFS = ","; print "id,t,g,y"; split("0 0 3 3 4 4 1 5 3", G, " ")
  for (u = 1; u <= 9; u++) for (t = 1; t <= 5; t++) {
    if (u == 9 && t < 3) continue
    g = G[u]; d = g > 0 && t >= g
    y = 10 + 0.5 * u + 0.8 * t + sin(7 * u + 3 * t) + (d ? 1 + 0.5 * (t - g) + 0.3 * u : 0)
    print u, t, g, (u == 2 && t == 4) ? "" : sprintf("%.6f", y) } }' >tiny.csv
"$ATTRIB" did tiny.csv --outcome y --unit id --time t --cohort g --estimator imputation -q --format json >tiny.json
awk -F, '
function solve(n,   i, j, k, piv, mx, f, tmp) { # Gauss-Jordan on M[1..n][1..n+1], partial pivoting
  for (k = 1; k <= n; k++) {
    piv = k; mx = M[k, k] < 0 ? -M[k, k] : M[k, k]
    for (i = k + 1; i <= n; i++) if ((M[i, k] < 0 ? -M[i, k] : M[i, k]) > mx) { mx = M[i, k] < 0 ? -M[i, k] : M[i, k]; piv = i }
    for (j = 1; j <= n + 1; j++) { tmp = M[k, j]; M[k, j] = M[piv, j]; M[piv, j] = tmp }
    for (i = 1; i <= n; i++) if (i != k) { f = M[i, k] / M[k, k]; for (j = k; j <= n + 1; j++) M[i, j] -= f * M[k, j] }
  }
  for (i = 1; i <= n; i++) X[i] = M[i, n + 1] / M[i, i]
}
function zidx(r, which) { return which == 1 ? UI[id[r]] : (TI[tt[r]] > 1 ? nU + TI[tt[r]] - 1 : 0) }
NR == 1 { next }
$4 == "" { next }
{ R++; id[R] = $1; tt[R] = $2; gg[R] = $3; yy[R] = $4; un = ($3 == 0 || $2 < $3)
  if (un) { if (!($1 in UI)) UI[$1] = ++nU; if (!($2 in TS)) { TS[$2] = 1; tl[++nT] = $2 } }
  untr[R] = un }
END {
  # periods of the untreated rows in order; the first is the normalisation
  for (i = 1; i <= nT; i++) for (j = i + 1; j <= nT; j++) if (tl[j] < tl[i]) { tmp = tl[i]; tl[i] = tl[j]; tl[j] = tmp }
  for (i = 1; i <= nT; i++) TI[tl[i]] = i
  p = nU + nT - 1
  for (i = 1; i <= p; i++) for (j = 1; j <= p + 1; j++) A[i, j] = 0
  for (r = 1; r <= R; r++) if (untr[r]) { a = zidx(r, 1); b = zidx(r, 2)
    A[a, a]++; A[a, p + 1] += yy[r]; if (b) { A[b, b]++; A[a, b]++; A[b, a]++; A[b, p + 1] += yy[r] } }
  for (i = 1; i <= p; i++) for (j = 1; j <= p + 1; j++) M[i, j] = A[i, j]
  solve(p); for (i = 1; i <= p; i++) th[i] = X[i]
  for (r = 1; r <= R; r++) {
    ok = (id[r] in UI) && (tt[r] in TI)
    fit = ok ? th[zidx(r, 1)] + (zidx(r, 2) ? th[zidx(r, 2)] : 0) : 0
    if (untr[r]) e[r] = yy[r] - fit
    else if (ok) { imp[r] = 1; tau[r] = yy[r] - fit; n1++; H[tt[r] - gg[r]]++ }
    else notimp++
  }
  nh = 0; for (h in H) hl[++nh] = h + 0
  for (i = 1; i <= nh; i++) for (j = i + 1; j <= nh; j++) if (hl[j] < hl[i]) { tmp = hl[i]; hl[i] = hl[j]; hl[j] = tmp }
  hl[nh + 1] = "all"
  for (q = 1; q <= nh + 1; q++) {
    h = hl[q]
    for (r = 1; r <= R; r++) w[r] = imp[r] && (h == "all" || tt[r] - gg[r] == h) ? 1 / (h == "all" ? n1 : H[h]) : 0
    est = 0; for (r = 1; r <= R; r++) est += w[r] * tau[r]
    for (i = 1; i <= p; i++) for (j = 1; j <= p + 1; j++) M[i, j] = A[i, j]
    for (i = 1; i <= p; i++) M[i, p + 1] = 0
    for (r = 1; r <= R; r++) if (w[r]) { M[zidx(r, 1), p + 1] += w[r]; if (zidx(r, 2)) M[zidx(r, 2), p + 1] += w[r] }
    solve(p)
    split("", sc)
    for (r = 1; r <= R; r++) {
      if (untr[r]) { v = -(X[zidx(r, 1)] + (zidx(r, 2) ? X[zidx(r, 2)] : 0)); sc[id[r]] += v * e[r]; continue }
      if (!w[r]) continue
      s = 0; c = 0
      for (k = 1; k <= R; k++) if (imp[k] && k != r && id[k] != id[r] && gg[k] == gg[r] && tt[k] == tt[r]) { s += tau[k]; c++ }
      sc[id[r]] += w[r] * (tau[r] - (c ? s / c : tau[r]))
    }
    var = 0; for (u in sc) var += sc[u] * sc[u]
    printf "%s %.17g %.17g\n", h, est, sqrt(var)
  }
  printf "not_imputed %d\n", notimp
}' tiny.csv >tiny_ref.txt
bad=0
while read -r h a se; do
  read -r _ wa ws < <(grep "^$h " tiny_ref.txt)
  { check "tiny horizon $h" "$a" "$wa" 1e-10 && check "tiny horizon $h se" "$se" "$ws" 1e-10; } >>tiny.txt || bad=1
done < <(jq -r '.event_study[] | "\(.event_time) \(.att) \(.std_error)"' tiny.json)
[ "$bad" = 0 ] || cat tiny.txt
echo "tiny panel: $(grep -c ': ok' tiny.txt) horizon checks ok"
read -r _ wa ws < <(grep "^all " tiny_ref.txt)
check "tiny overall" "$(jq .effect.estimate tiny.json)" "$wa" 1e-10
check "tiny overall se" "$(jq .effect.std_error tiny.json)" "$ws" 1e-10
check "treated rows not imputed" "$(jq .counts.n_treated_not_imputed tiny.json)" "$(awk '/^not_imputed/ { print $2 }' tiny_ref.txt)" 0
jq -c '.counts' tiny.json
jq -r '.warnings[]' tiny.json
