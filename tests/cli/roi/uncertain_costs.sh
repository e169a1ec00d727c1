# Issue 12, defect 1: with an uncertain cost line the simulated ROI interval
# was [-0.00%, 0.00%] and P(ROI > 0) = 0.1592, because the effect draws (made
# in the CLI) and the cost draws (made in the library) came from two
# generators seeded alike and moved together. Now both are drawn in the
# library from independent streams, and the interval agrees with Fieller's
# (1954) analytic one, solved here in awk: B = 1000 +- 200 (effect 10, SE 2,
# 100 learners), C = 1000 +- 200, the roots of
# (c^2 - z^2 sc^2) r^2 - 2bc r + b^2 - z^2 sb^2 = 0 -> [-44.78%, 81.09%];
# P(ROI > 0) = P(B > C) = 0.5 exactly.
"$ATTRIB" roi --effect 10 --se 2 --learners 100 --value-per-unit 1 --cost a=1000@sd=200 --bootstrap 999 --seed 1
check() { awk -v l="$1" -v g="$2" -v w="$3" -v t="$4" 'BEGIN { d = g - w; if (d < 0) d = -d;
  if (d <= t) print l ": ok"; else { print l ": got " g ", want " w " +- " t; exit 1 } }'; }
read -r fl fh <<<"$(awk 'BEGIN { z = 1.959963984540054; b = 1000; sb = 200; c = 1000; sc = 200;
  A = c * c - z * z * sc * sc; B = -2 * b * c; C = b * b - z * z * sb * sb; D = sqrt(B * B - 4 * A * C);
  printf "%.10f %.10f\n", 100 * ((-B - D) / (2 * A) - 1), 100 * ((-B + D) / (2 * A) - 1) }')"
# Monte Carlo SDs of the end points, sqrt(p (1 - p) / B) / f(q) with f the
# density of ROI = 100 (B / C - 1) at Fieller's end point (from the exact cdf
# Phi((r c - b) / sqrt(sb^2 + r^2 sc^2))): 1.6 points (low) and 5.3 (high) at
# B = 999, 0.16 and 0.53 at B = 100,000; tolerances are 4.5 SDs
for B in 999 100000; do
  j=$("$ATTRIB" roi --effect 10 --se 2 --learners 100 --cost a=1000@sd=200 --bootstrap $B --seed 1 --format json)
  read -r lo hi p jfl jfh <<<"$(echo "$j" | jq -r '"\(.roi_ci_low_pct) \(.roi_ci_high_pct) \(.prob_roi_positive) \(.roi_ci_fieller_low_pct) \(.roi_ci_fieller_high_pct)"')"
  read -r tl th tp <<<"$(awk -v B=$B -v fl="$fl" -v fh="$fh" 'function cdf(q,  r, t) { r = 1 + q / 100;
      t = (r * 1000 - 1000) / sqrt(200^2 + r * r * 200^2); return pnorm(t) }
    function pnorm(x,  t, y) { t = 1 / (1 + 0.2316419 * (x < 0 ? -x : x));
      y = 1 - exp(-x * x / 2) / sqrt(2 * 3.141592653589793) * t * (0.319381530 + t * (-0.356563782 + t * (1.781477937 + t * (-1.821255978 + t * 1.330274429))));
      return x < 0 ? 1 - y : y }
    function sd(q, p,  f) { f = (cdf(q + 0.01) - cdf(q - 0.01)) / 0.02; return sqrt(p * (1 - p) / B) / f }
    BEGIN { printf "%.6f %.6f %.6f\n", 4.5 * sd(fl, 0.025), 4.5 * sd(fh, 0.975), 4.5 * sqrt(0.25 / B) }')"
  check "B = $B: simulated low vs Fieller" "$lo" "$fl" "$tl"
  check "B = $B: simulated high vs Fieller" "$hi" "$fh" "$th"
  check "B = $B: P(ROI > 0) vs 0.5" "$p" 0.5 "$tp"
  check "B = $B: reported Fieller low" "$jfl" "$fl" 1e-6
  check "B = $B: reported Fieller high" "$jfh" "$fh" 1e-6
done
# the same seed gives the same draws; every existing JSON key is still there
a=$("$ATTRIB" roi --effect 10 --se 2 --learners 100 --cost a=1000@sd=200 --bootstrap 999 --seed 1 --format json | jq -c '[.roi_ci_low_pct, .roi_ci_high_pct]')
b=$("$ATTRIB" roi --effect 10 --se 2 --learners 100 --cost a=1000@sd=200 --bootstrap 999 --seed 1 --format json | jq -c '[.roi_ci_low_pct, .roi_ci_high_pct]')
[ "$a" = "$b" ] && echo "reproducible: same seed, same interval"
"$ATTRIB" roi --effect 10 --se 2 --learners 100 --cost a=1000@sd=200 --bootstrap 999 --seed 1 --format json |
  jq -c '[keys[] | select(test("roi_ci|prob|interval|level|bootstrap|n_draws"))]'
# Two uncertain lines are drawn independently (their variances add): with
# a = 600 +- 160 and b = 400 +- 120 the total is 1000 +- 200, the same
# Fieller interval, and the simulation agrees with it
j=$("$ATTRIB" roi --effect 10 --se 2 --learners 100 --cost a=600@sd=160 --cost b=400@sd=120 --bootstrap 100000 --seed 4 --format json)
check "two lines: simulated low vs Fieller" "$(echo "$j" | jq .roi_ci_low_pct)" "$fl" 0.72
check "two lines: simulated high vs Fieller" "$(echo "$j" | jq .roi_ci_high_pct)" "$fh" 2.4
# bootstrap draws of the effect (a --save-draws CSV) with an uncertain cost:
# the effect draws are the bootstrap's, only the cost is drawn. The draws are
# 10 + 2 x the normal quantiles at (i - 1/2) / 20000 (Acklam's inverse normal
# cdf, relative error 1e-9), written by awk: their ROI interval converges to
# the same Fieller interval (MC SDs at 20,000 draws: 0.36 and 1.2 points)
awk 'function inv(u,  q, r) {
    if (u < 0.02425) { q = sqrt(-2 * log(u)); return tail(q) }
    if (u > 0.97575) { q = sqrt(-2 * log(1 - u)); return -tail(q) }
    q = u - 0.5; r = q * q
    return (((((-3.969683028665376e+01 * r + 2.209460984245205e+02) * r - 2.759285104469687e+02) * r + 1.383577518672690e+02) * r - 3.066479806614716e+01) * r + 2.506628277459239e+00) * q / (((((-5.447609879822406e+01 * r + 1.615858368580409e+02) * r - 1.556989798598866e+02) * r + 6.680131188771070e+01) * r - 1.328068155288572e+01) * r + 1) }
  function tail(q) {
    return (((((-7.784894002430293e-03 * q - 3.223964580411365e-01) * q - 2.400758277161838e+00) * q - 2.549732539343734e+00) * q + 4.374664141464968e+00) * q + 2.938163982698783e+00) / ((((7.784695709041462e-03 * q + 3.224671290700398e-01) * q + 2.445134137142996e+00) * q + 3.754408661907416e+00) * q + 1) }
  BEGIN { print "replicate,estimate"; n = 20000; for (i = 1; i <= n; i++) printf "%d,%.10f\n", i, 10 + 2 * inv((i - 0.5) / n) }' >boot.csv
echo '{"command":"ols","effect":{"estimate":10,"std_error":2}}' >fit.json
j=$("$ATTRIB" roi --from fit.json --draws boot.csv --learners 100 --cost a=1000@sd=200 --seed 2 --format json)
echo "$j" | jq -r '"from a fit with bootstrap draws: \(.interval_method), \(.n_draws) draws"'
check "bootstrap draws: low vs Fieller" "$(echo "$j" | jq .roi_ci_low_pct)" "$fl" 1.6
check "bootstrap draws: high vs Fieller" "$(echo "$j" | jq .roi_ci_high_pct)" "$fh" 5.3
check "bootstrap draws: P(ROI > 0)" "$(echo "$j" | jq .prob_roi_positive)" 0.5 0.016
