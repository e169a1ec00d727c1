# Break-even confounding (--breakeven X: the confounding that brings the
# estimate down to X, e.g. the ROI break-even effect from attrib roi):
#  - ovb: with X = 0 it is the robustness value RV_q itself; with X = half
#    the estimate, RV at q = 1/2 (computed here from t and df);
#  - evalue: to RR 1 it is the E-value; to RR 2 from 3.9, the E-value of 1.95;
#  - rosenbaum: the lower Hodges-Lehmann bound is at or below X at the
#    reported Gamma and above it just below that Gamma.
REF="$DATA/../../reference/sensitivity" # darfur.csv, lead.csv: sources and licences in its README.md
check() { awk -v l="$1" -v g="$2" -v w="$3" -v t="$4" 'BEGIN { d = g - w; if (d < 0) d = -d;
  if (d <= t) print l ": ok"; else { print l ": got " g ", want " w; exit 1 } }'; }
F="peacefactor ~ directlyharmed + age + farmer_dar + herder_dar + pastvoted + hhsize_darfur + female + factor(village)"
o() { "$ATTRIB" sensitivity ovb "$REF/darfur.csv" --formula "$F" --treat directlyharmed --format json "$@"; }
j=$(o --breakeven 0)
check "ovb break-even at 0 = RV" "$(echo "$j" | jq .breakeven_rv)" "$(echo "$j" | jq .rv_q)" 1e-15
half=$(echo "$j" | jq '.estimate / 2')
j=$(o --breakeven "$half")
want=$(echo "$j" | jq -r '"\(.t) \(.dof)"' | awk '{ f = 0.5 * $1 / sqrt($2); printf "%.15f", 0.5 * (sqrt(f^4 + 4 * f^2) - f^2) }')
check "ovb break-even at half the estimate" "$(echo "$j" | jq .breakeven_rv)" "$want" 1e-12
ev() { "$ATTRIB" sensitivity evalue --estimate 3.9 --type rr --format json "$@"; }
check "E-value to 1 = E-value" "$(ev --breakeven 1 | jq .evalue_breakeven)" "$(ev | jq .evalue_estimate)" 1e-15
check "E-value to 2" "$(ev --breakeven 2 | jq .evalue_breakeven)" "$(awk 'BEGIN { r = 3.9 / 2; printf "%.15f", r + sqrt(r * (r - 1)) }')" 1e-12
L="$REF/lead.csv"
rb() { "$ATTRIB" sensitivity rosenbaum --pairs "$L" --treated exposed --control control --format json "$@"; }
g=$(rb --gamma 1 --breakeven 8 | jq .breakeven_gamma)
at=$(rb --gamma "$g" | jq '.table[0].hl_lower')
below=$(rb --gamma "$(awk -v g="$g" 'BEGIN { print g * 0.999 }')" | jq '.table[0].hl_lower')
awk -v a="$at" -v b="$below" 'BEGIN { print "rosenbaum break-even Gamma: " ((a <= 8 && b > 8) ? "the HL bound crosses 8 there" : "a=" a ", below=" b) }'
# --weights: unit weights give the unweighted analysis exactly; doubling
# every weight leaves the partial R2 and RV unchanged (scale invariance)
awk -F, -v OFS=, 'NR == 1 { print $0, "w1", "w2"; next } { print $0, 1, 2 }' "$REF/darfur.csv" >dw.csv
a=$(o | jq -c '[.rv_q, .rv_qa, .partial_r2_treat]')
b=$("$ATTRIB" sensitivity ovb dw.csv --formula "$F" --treat directlyharmed --weights w1 --format json | jq -c '[.rv_q, .rv_qa, .partial_r2_treat]')
c=$("$ATTRIB" sensitivity ovb dw.csv --formula "$F" --treat directlyharmed --weights w2 --format json | jq -c '[.rv_q, .rv_qa, .partial_r2_treat]')
[ "$a" = "$b" ] && echo "weights of 1: identical" || echo "weights of 1: $a vs $b"
echo "$b $c" | tr -d '[]' | tr ',' ' ' | awk '{ m = 0; for (i = 1; i <= 3; i++) { d = $i - $(i + 3); if (d < 0) d = -d; if (d > m) m = d }
  print "weights doubled: " (m < 1e-9 ? "the same robustness values" : "differ by " m) }'
