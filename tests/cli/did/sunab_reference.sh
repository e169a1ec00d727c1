# Sun & Abraham (--estimator sunab) on tests/reference/did/did_panel.csv
# (balanced; never-treated units; cohorts 3, 5 and 7 over periods 1..8):
# 1. the identity (Sun & Abraham 2021, and fixest's sunab docs): with
#    never-treated controls, no covariates and a balanced panel, every
#    cohort x event-time coefficient is Callaway-Sant'Anna's ATT(g, g+e) with
#    base period g-1, so the event-time effects equal CS's dynamic
#    aggregation with the universal base period at every event time and
#    with the varying base period (did's default) at e >= 0; the overall
#    effect (fixest's "att": post cells weighted by their rows) equals CS's
#    simple aggregation. Tolerance 1e-10 relative.
# 2. brute force: the interaction regression with explicit dummies through
#    attrib ols (| learner_id + period, clustered by learner): every
#    coefficient and SE to 1e-10; the event-time effects by hand (cohort
#    shares of rows at each event time); the delta-method SE of the e = 0
#    effect against the SE of the same combination as one coefficient of a
#    reparametrised regression (exact for CR1, which is linear in the
#    regressors).
ref="$REFERENCE/did/did_panel.csv"
run() { "$ATTRIB" did "$ref" --outcome sales --unit learner_id --time period --cohort cohort -q --format json "$@"; }
check() { # label got want tol
  awk -v l="$1" -v g="$2" -v w="$3" -v t="$4" 'BEGIN { d = (g - w) / (w == 0 ? 1 : w); if (d < 0) d = -d;
    if (d <= t && g != "" && w != "") print l ": ok"; else { print l ": got " g ", want " w; exit 1 } }'
}
run --estimator sunab >sa.json
run --base-period universal >cs_u.json
run >cs_v.json
jq -r '.event_study[] | "\(.event_time) \(.att)"' sa.json >sa_es.txt
n=0; bad=0
while read -r e a; do
  cu=$(jq --argjson e "$e" '.event_study[] | select(.event_time == $e) | .att' cs_u.json)
  check "e=$e vs CS universal" "$a" "$cu" 1e-10 >>id.txt || bad=1
  if [ "$e" -ge 0 ]; then
    cv=$(jq --argjson e "$e" '.event_study[] | select(.event_time == $e) | .att' cs_v.json)
    check "e=$e vs CS varying" "$a" "$cv" 1e-10 >>id.txt || bad=1
  fi
  n=$((n + 1))
done <sa_es.txt
[ "$bad" = 0 ] || cat id.txt
echo "identity: $n event times, $(grep -c ': ok' id.txt) checks ok"
check "overall = CS simple" "$(jq .effect.estimate sa.json)" "$(jq .effect.estimate cs_v.json)" 1e-10
check "dynamic overall = CS dynamic (varying)" "$(jq .aggregations.dynamic.att sa.json)" \
  "$(jq .aggregations.dynamic.att cs_v.json)" 1e-10
jq -c '.counts' sa.json
# 2. the dummies: d_<g>_<m|p><|e|> for every cohort and event time but -1
dummies() { # in.csv out.csv
  awk -F, 'NR > 1 && $4 > 0 { e = $3 - $4; if (e != -1) c[$4 "_" (e < 0 ? "m" (-e) : "p" e)] = 1 }
    END { for (k in c) print k }' "$1" | sort -t_ -k1,1n >cells.txt
  awk -F, -v cells="$(tr '\n' ' ' <cells.txt)" 'BEGIN { OFS = ","; nc = split(cells, C, " ") }
    NR == 1 { h = $0; for (j = 1; j <= nc; j++) h = h ",d_" C[j]; print h; next }
    { line = $0; e = $3 - $4; k = $4 "_" (e < 0 ? "m" (-e) : "p" e)
      for (j = 1; j <= nc; j++) line = line "," (($4 > 0 && C[j] == k) ? 1 : 0); print line }' "$1" >"$2"
}
brute() { # data.csv sunab.json label: every coefficient and SE against attrib ols with the dummies
  dummies "$1" dummies.csv
  rhs=$(sed 's/^/d_/' cells.txt | paste -sd+ | sed 's/+/ + /g')
  "$ATTRIB" ols dummies.csv --formula "sales ~ $rhs | learner_id + period" --cluster learner_id --fe-tol 1e-14 -q \
    --format json >ols.json
  local bad=0 n=0
  : >bf.txt
  while read -r g t e a se; do
    k="d_${g}_$([ "$e" -lt 0 ] && echo "m$((-e))" || echo "p$e")"
    read -r ba bs < <(jq -r --arg k "$k" '.coefficients[] | select(.term == $k) | "\(.estimate) \(.std_error)"' ols.json)
    { check "$k coefficient" "$a" "$ba" 1e-10 && check "$k se" "$se" "$bs" 1e-10; } >>bf.txt || bad=1
    n=$((n + 1))
  done < <(jq -r '.group_time[] | "\(.group) \(.time) \(.event_time) \(.att) \(.std_error)"' "$2")
  [ "$bad" = 0 ] || cat bf.txt
  echo "brute force, $3: $n cohort x event-time cells, $(grep -c ': ok' bf.txt) checks ok (of $((2 * n)))"
}
# an unbalanced version (about one row in 13 missing) with a unit of a
# cohort treated in the first period, which sunab leaves out (and so does the
# brute force: fixest drops the always treated)
awk -F, 'BEGIN { OFS = "," } NR == 1 || ($1 * 7 + $3) % 13 != 0 { if (NR > 1 && $1 == 5) $4 = 1; print }' "$ref" >unbal.csv
awk -F, '$1 != 5' unbal.csv >unbal_bf.csv
"$ATTRIB" did unbal.csv --outcome sales --unit learner_id --time period --cohort cohort -q --format json \
  --estimator sunab >unbal.json
brute unbal_bf.csv unbal.json "unbalanced"
jq -c '{n_obs, counts}' unbal.json
# no never-treated units: the last-treated cohort (7) is the comparison and
# periods 7 and 8 are left out, i.e. the regression on periods 1-6 with
# cohort 7 carrying no dummies
awk -F, 'NR == 1 || $4 != 0' "$ref" >nonever.csv
awk -F, 'BEGIN { OFS = "," } NR == 1 { print; next } $3 < 7 { if ($4 == 7) $4 = 0; print }' nonever.csv >nonever_bf.csv
"$ATTRIB" did nonever.csv --outcome sales --unit learner_id --time period --cohort cohort -q --format json \
  --estimator sunab >nonever.json
brute nonever_bf.csv nonever.json "last-treated cohort as comparison"
jq -c '{n_obs, warnings}' nonever.json
brute "$ref" sa.json "balanced"
# the aggregation by hand: shares of the rows of each cohort at event time e
jq -r '.coefficients[] | select(.term | startswith("d_")) | "\(.term) \(.estimate)"' ols.json >coef.txt
awk -F, 'NR > 1 && $4 > 0 { n[$4 "," ($3 - $4)]++ } END { for (k in n) print k "," n[k] }' "$ref" >rows.txt
bad=0
while read -r e a; do
  want=$(awk -v e="$e" 'FNR == NR { split($1, p, "_"); ee = substr(p[3], 1, 1) == "m" ? -substr(p[3], 2) : substr(p[3], 2);
      b[p[2] "," ee] = $2; next }
    { split($0, q, ","); if (q[2] == e && ((q[1] "," e) in b)) { s += q[3] * b[q[1] "," e]; tot += q[3] } }
    END { printf "%.17g\n", s / tot }' coef.txt rows.txt)
  check "e=$e by hand" "$a" "$want" 1e-10 >>hand.txt || bad=1
done <sa_es.txt
[ "$bad" = 0 ] || cat hand.txt
echo "aggregation by hand: $(grep -c ': ok' hand.txt) event times ok"
# the delta method at e = 0: theta = sum_g w_g beta_g0 is the coefficient of
# D_a0 / w_a once D_g0 is replaced by D_g0 - (w_g / w_a) D_a0 (g != a)
w=$(awk -F, '$2 == 0 { n[$1] = $3; tot += $3 } END { for (g in n) printf "%s:%.17g ", g, n[g] / tot }' rows.txt)
awk -F, -v w="$w" 'BEGIN { OFS = ","; CONVFMT = OFMT = "%.17g"; m = split(w, W, " "); for (j = 1; j <= m; j++) { split(W[j], p, ":"); g[j] = p[1]; s[j] = p[2] } }
  NR == 1 { for (c = 1; c <= NF; c++) col[$c] = c; print $0 ",theta"; next }
  { a = $(col["d_" g[1] "_p0"]); $0 = $0 "," a / s[1]
    for (j = 2; j <= m; j++) { c = col["d_" g[j] "_p0"]; $c = $c - s[j] / s[1] * a }
    print }' dummies.csv >reparam.csv
rhs0=$(grep -v '_p0$' cells.txt | sed 's/^/d_/' | paste -sd+ | sed 's/+/ + /g')
others=$(echo "$w" | tr ' ' '\n' | sed '/^$/d' | sed -n '2,$p' | cut -d: -f1 | sed 's/^/d_/; s/$/_p0/' | paste -sd+ | sed 's/+/ + /g')
"$ATTRIB" ols reparam.csv --formula "sales ~ theta + $others + $rhs0 | learner_id + period" --cluster learner_id \
  --fe-tol 1e-14 -q --format json >theta.json
read -r ta ts < <(jq -r '.coefficients[] | select(.term == "theta") | "\(.estimate) \(.std_error)"' theta.json)
check "e=0 effect = reparametrised coefficient" "$(jq '.event_study[] | select(.event_time == 0) | .att' sa.json)" "$ta" 1e-10
check "e=0 delta-method SE = its CR1 SE" "$(jq '.event_study[] | select(.event_time == 0) | .std_error' sa.json)" "$ts" 1e-10
