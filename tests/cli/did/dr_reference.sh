# The doubly robust Callaway-Sant'Anna estimator (--covariates) against
# tests/reference/did/make_did_dr_reference.R: Sant'Anna & Zhao (2020)
# eq. (3.1) with glm and lm, DRDID's influence function in R; every
# ATT(g,t) and SE to 1e-8 relative (both logits converged to 1e-14), the
# simple aggregation likewise; the IF SE of cell (3,4) within 5% of a
# 2,000-draw pairs bootstrap SD (Monte Carlo error of an SD at B = 2000 is
# about 1.6%). The data have covariate-specific trends: the DR estimate
# covers the true overall ATT, the unconditional one does not.
ref="$DATA/../../reference/did"
exp="$ref/did_dr_expected.csv"
want() { awk -F, -v n="$1" '$1 == n { print $2, $3 }' "$exp"; }
check() { # label got want tol
  awk -v l="$1" -v g="$2" -v w="$3" -v t="$4" 'BEGIN { d = (g - w) / (w == 0 ? 1 : w); if (d < 0) d = -d;
    if (d <= t) print l ": ok"; else { print l ": got " g ", want " w; exit 1 } }'
}
"$ATTRIB" did "$ref/did_dr_panel.csv" --outcome y --unit id --time period --cohort cohort --covariates x1,x2 -q \
  --format json >dr.json
n=0
while read -r g t e s; do
  read -r we ws < <(want "dr_${g}_${t}")
  check "ATT($g,$t) estimate" "$e" "$we" 1e-8 >>cells.txt
  check "ATT($g,$t) se" "$s" "$ws" 1e-8 >>cells.txt
  n=$((n + 1))
done < <(jq -r '.group_time[] | "\(.group) \(.time) \(.att) \(.std_error)"' dr.json)
echo "$n cells, $(grep -c ': ok' cells.txt) checks ok"; grep -v ': ok' cells.txt
read -r we ws < <(want simple)
check "simple estimate" "$(jq .effect.estimate dr.json)" "$we" 1e-8
check "simple se" "$(jq .effect.std_error dr.json)" "$ws" 1e-8
read -r bsd _ < <(want boot_sd_3_4)
check "cell (3,4) SE vs bootstrap SD" "$(jq '.group_time[] | select(.group == 3 and .time == 4) | .std_error' dr.json)" "$bsd" 0.05
read -r truth _ < <(want truth_simple)
jq -r --arg a "$truth" '"doubly robust: " + (if .effect.ci_low <= ($a | tonumber) and ($a | tonumber) <= .effect.ci_high then "covers the truth" else "misses the truth" end)' dr.json
"$ATTRIB" did "$ref/did_dr_panel.csv" --outcome y --unit id --time period --cohort cohort -q --format json |
  jq -r --arg a "$truth" '"unconditional: " + (if .effect.ci_low <= ($a | tonumber) and ($a | tonumber) <= .effect.ci_high then "covers the truth" else "misses the truth (covariate-specific trends)" end)'
