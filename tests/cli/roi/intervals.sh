# ROI intervals against closed forms computed here (awk), not by attrib:
#  - fixed costs: ROI is linear in the effect, so the interval is the image
#    of E +- 1.959964 SE and P(ROI > 0) = Phi((E - E_be) / SE);
#  - uncertain costs: Fieller's interval for (B - C)/C with B ~ N(b, sb^2),
#    C ~ N(c, sc^2): the roots of (c^2 - z^2 sc^2) r^2 - 2bc r + b^2 - z^2 sb^2 = 0;
#  - draws: the type-7 percentiles of the ROI of each draw;
#  - --bootstrap 100000: the simulated percentile interval within Monte
#    Carlo error of the exact one: an end point's MC SD is
#    sd sqrt(.025 .975 / B) / phi(1.96) = 66.7 x 0.0085 = 0.57 points here,
#    so 2 points (3.5 SDs).
check() { awk -v l="$1" -v g="$2" -v w="$3" -v t="$4" 'BEGIN { d = g - w; if (d < 0) d = -d;
  if (d <= t) print l ": ok"; else { print l ": got " g ", want " w; exit 1 } }'; }
j=$("$ATTRIB" roi --learners 100 --effect 12 --se 5 --value-per-unit 40 --cost program=30000 --format json)
read -r lo hi p <<<"$(echo "$j" | jq -r '"\(.roi_ci_low_pct) \(.roi_ci_high_pct) \(.prob_roi_positive)"')"
check "linear low" "$lo" "$(awk 'BEGIN { printf "%.12f", 100 * ((12 - 1.959963984540054 * 5) * 4000 - 30000) / 30000 }')" 1e-9
check "linear high" "$hi" "$(awk 'BEGIN { printf "%.12f", 100 * ((12 + 1.959963984540054 * 5) * 4000 - 30000) / 30000 }')" 1e-9
# Phi((12 - 7.5) / 5) = Phi(0.9) = 0.815939874653
check "P(ROI > 0)" "$p" 0.815939874653 1e-9
echo "$j" | jq -r '"method: \(.interval_method)"'
j=$("$ATTRIB" roi --learners 100 --effect 12 --se 2 --value-per-unit 40 --cost program=30000@sd=3000 --format json)
read -r lo hi <<<"$(echo "$j" | jq -r '"\(.roi_ci_low_pct) \(.roi_ci_high_pct)"')"
read -r wl wh <<<"$(awk 'BEGIN { z = 1.959963984540054; b = 48000; sb = 8000; c = 30000; sc = 3000;
  A = c * c - z * z * sc * sc; B = -2 * b * c; C = b * b - z * z * sb * sb; D = sqrt(B * B - 4 * A * C);
  printf "%.12f %.12f\n", 100 * ((-B - D) / (2 * A) - 1), 100 * ((-B + D) / (2 * A) - 1) }')"
check "fieller low" "$lo" "$wl" 1e-6
check "fieller high" "$hi" "$wh" 1e-6
echo "$j" | jq -r '"method: \(.interval_method); delta-method low \(.roi_ci_delta_low_pct < .roi_ci_low_pct)"'
seq 1 99 | awk '{ print ($1 - 50) / 10 + 12 }' | { echo "replicate,estimate"; awk '{ print NR "," $1 }'; } >draws.csv
j=$("$ATTRIB" roi --learners 100 --effect 12 --draws draws.csv --value-per-unit 40 --cost program=30000 --format json)
read -r lo hi <<<"$(echo "$j" | jq -r '"\(.roi_ci_low_pct) \(.roi_ci_high_pct)"')"
# the draws run 7.1 .. 16.9 by 0.1; type-7 quantiles at .025 and .975 of 99 values
read -r wl wh <<<"$(awk 'BEGIN { for (i = 1; i <= 99; i++) v[i] = ((i - 50) / 10 + 12) * 4000 / 300 - 100;
  h = 98 * 0.025; l = int(h); a = v[l + 1] + (h - l) * (v[l + 2] - v[l + 1]);
  h = 98 * 0.975; l = int(h); b = v[l + 1] + (h - l) * (v[l + 2] - v[l + 1]); printf "%.12f %.12f\n", a, b }')"
check "draws low" "$lo" "$wl" 1e-9
check "draws high" "$hi" "$wh" 1e-9
j=$("$ATTRIB" roi --learners 100 --effect 12 --se 5 --value-per-unit 40 --cost program=30000 --bootstrap 100000 --seed 3 --format json)
read -r lo hi <<<"$(echo "$j" | jq -r '"\(.bootstrap.ci_low) \(.bootstrap.ci_high)"')"
check "parametric bootstrap low" "$lo" "$(awk 'BEGIN { printf "%.12f", 100 * ((12 - 1.959963984540054 * 5) * 4000 - 30000) / 30000 }')" 2
check "parametric bootstrap high" "$hi" "$(awk 'BEGIN { printf "%.12f", 100 * ((12 + 1.959963984540054 * 5) * 4000 - 30000) / 30000 }')" 2
echo "$j" | jq -r '.bootstrap | "bootstrap: \(.type), \(.replicates) replicates, method \(.method)"'
# --save-draws writes the ROI % of each simulated draw; their SD is the reported one
"$ATTRIB" roi --learners 100 --effect 12 --se 5 --value-per-unit 40 --cost program=30000 --bootstrap 999 --seed 2 \
  --save-draws rd.csv --format json >rd.json
awk -F, -v s="$(jq .bootstrap.std_error rd.json)" 'NR > 1 { n++; a += $2; b += $2 * $2 }
  END { sd = sqrt((b - a * a / n) / (n - 1)); d = (sd - s) / s; if (d < 0) d = -d;
    print "ROI draws: " n " rows, " (d < 1e-9 ? "SD = the reported SD" : "SD " sd " vs " s) }' rd.csv
"$ATTRIB" roi --learners 100 --effect 12 --value-per-unit 40 --cost program=30000 --save-draws x.csv 2>&1 | head -1
"$ATTRIB" roi --learners 100 --effect 12 --draws draws.csv --value-per-unit 40 --cost program=30000 --save-draws dd.csv -q >/dev/null
echo "ROI of given draws: $(($(wc -l <dd.csv) - 1)) rows"
# the delta method, labelled as an approximation, against its closed form:
# ROI +- z 100 sqrt(s_b^2 + (b/c)^2 s_c^2) / c, b = 48,000, s_b = 8,000, c = 30,000, s_c = 3,000
j=$("$ATTRIB" roi --learners 100 --effect 12 --se 2 --value-per-unit 40 --cost program=30000@sd=3000 --format json)
read -r wl wh <<<"$(awk 'BEGIN { z = 1.959963984540054; b = 48000; c = 30000; s = 100 * sqrt(8000^2 + (b / c)^2 * 3000^2) / c;
  r = 100 * (b - c) / c; printf "%.12f %.12f\n", r - z * s, r + z * s }')"
check "delta low" "$(echo "$j" | jq .roi_ci_delta_low_pct)" "$wl" 1e-9
check "delta high" "$(echo "$j" | jq .roi_ci_delta_high_pct)" "$wh" 1e-9
# annualised: 104 weeks at 52 a year = 2 years; ROI 8,220% compounds to sqrt(83.2) - 1 a year
j=$("$ATTRIB" roi --learners 200 --effect 800 --horizon 104 --periods-per-year 52 --cost-per-learner 1000 --format json)
check "annualised ROI" "$(echo "$j" | jq .annualised_roi_pct)" "$(awk 'BEGIN { printf "%.12f", 100 * (sqrt(83.2) - 1) }')" 1e-9
check "annual benefit" "$(echo "$j" | jq .annual_benefit)" 8320000 1e-6
