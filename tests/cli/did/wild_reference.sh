# The wild cluster bootstrap of the 2x2 and TWFE regressions against the
# brute-force WCR of tests/reference/did/make_did_wild_reference.R (one
# refit per sign vector). With G <= 12 clusters attrib and R both use all
# 2^G Rademacher sign vectors, so nothing is random: the WCR p-value, the
# confidence interval by test inversion (the nulls whose p-value exceeds
# 0.05) and the SD of the unrestricted replicates are compared to 1e-9
# (observed 1e-13; the inversion end points are jumps of a step function,
# located by bisection here and by uniroot in R). The TWFE's analytic SE is
# fixest's (K without the unit effects nested in the clusters), R's lm
# counts them, so it is not compared; its bootstrap does not depend on it.
ref="$DATA/../../reference/did"
want() { awk -F, -v c="$1" -v n="$2" '$1 == c && $2 == n { print $3 }' "$ref/did_wild_expected.csv"; }
check() { # label got want tol
  awk -v l="$1" -v g="$2" -v w="$3" -v t="$4" 'BEGIN { d = g - w; if (d < 0) d = -d; s = (w < 0 ? -w : w);
    if (d <= t * s) print l ": ok"; else { print l ": got " g ", want " w; exit 1 } }'
}
cmp() { # case json
  jq -r '"\(.bootstrap.type), \(.bootstrap.replicates) replicates, enumerated \(.bootstrap.enumerated)"' "$2"
  check "$1 estimate" "$(jq .effect.estimate "$2")" "$(want "$1" estimate)" 1e-12
  [ "$1" = twfe ] || check "$1 SE (CR1 / HC1)" "$(jq .effect.std_error "$2")" "$(want "$1" se)" 1e-9
  check "$1 WCR p-value" "$(jq .bootstrap.p_value "$2")" "$(want "$1" wcr_p)" 1e-12
  check "$1 inversion low" "$(jq .bootstrap.test_inversion.ci_low "$2")" "$(want "$1" inv_low)" 1e-9
  check "$1 inversion high" "$(jq .bootstrap.test_inversion.ci_high "$2")" "$(want "$1" inv_high)" 1e-9
  check "$1 WCU SD" "$(jq .bootstrap.std_error "$2")" "$(want "$1" wcu_sd)" 1e-9
}
"$ATTRIB" did "$ref/did_wild_2x2.csv" --outcome y --treat treat --post post --covariates x --cluster firm \
  --bootstrap 999 -q --format json >2x2.json
cmp 2x2 2x2.json
"$ATTRIB" did "$ref/did_wild_panel.csv" --outcome y --unit unit --time period --cohort cohort --estimator twfe \
  --cluster team --bootstrap 999 -q --format json >twfe.json
cmp twfe twfe.json
# no cluster: every row its own cluster (12 rows, 4096 sign vectors)
"$ATTRIB" did "$ref/did_wild_tiny.csv" --outcome y --treat treat --post post --bootstrap 999 -q --format json >tiny.json
cmp tiny tiny.json
# the same for any thread count
a=$("$ATTRIB" did "$ref/did_wild_panel.csv" --outcome y --unit unit --time period --cohort cohort --estimator twfe \
  --cluster team --bootstrap 999 --weights-dist webb --threads 1 -q --format json | jq -c .bootstrap)
b=$("$ATTRIB" did "$ref/did_wild_panel.csv" --outcome y --unit unit --time period --cohort cohort --estimator twfe \
  --cluster team --bootstrap 999 --weights-dist webb --threads 2 -q --format json | jq -c .bootstrap)
[ "$a" = "$b" ] && echo "webb, threads 1 and 2: identical" || echo "webb, threads 1 and 2: differ"
# what each design refuses, by name
p="$ref/did_wild_panel.csv"
"$ATTRIB" did "$p" --outcome y --unit unit --time period --cohort cohort --estimator twfe --event-study --bootstrap 999 2>&1 | head -1
"$ATTRIB" did "$ref/did_wild_2x2.csv" --outcome y --treat treat --post post --bootstrap 999 --boot-type multiplier 2>&1 | head -1
"$ATTRIB" did "$ref/did_wild_2x2.csv" --outcome y --treat treat --post post --bootstrap 999 --ci bca 2>&1 | head -1
"$ATTRIB" did "$ref/did_wild_2x2.csv" --outcome y --treat treat --post post --bootstrap 999 --boot-type pairs 2>&1 | head -1
