# Matching with replacement through the CLI against R's Matching::Match
# (tests/reference/matching/make_matching_reference.R): the given score,
# matched on the score itself as Match(X = ps) does; ATT, ATC, ATE and the
# bias-adjusted ATT for M = 1 and 4; estimate and SE to 1e-6 relative.
ref="$DATA/../../reference/matching"
check() { # label got want
  awk -v l="$1" -v g="$2" -v w="$3" 'BEGIN { d = (g - w) / w; if (d < 0) d = -d;
    if (d <= 1e-6) print l ": ok"; else { print l ": got " g ", want " w; exit 1 } }'
}
run() { # estimand M extra-flags...
  est=$1 m=$2; shift 2
  "$ATTRIB" psm "$ref/matching_data.csv" --treat treat --outcome y --score ps --distance score --replace \
    --estimand "$est" --ratio "$m" --id id --format json "$@" | jq -r '[.effect.estimate, .effect.std_error] | @tsv'
}
for row in ATT,1 ATT,4 ATC,1 ATC,4; do
  est=${row%,*} m=${row#*,}
  want=$(awk -F, -v e="\"$est\"" -v m="$m" '$1 == e && $2 == m { print $3, $4 }' "$ref/matching_expected.csv")
  read -r ge gs < <(run "$(echo "$est" | tr A-Z a-z)" "$m")
  check "$est M=$m estimate" "$ge" "${want% *}"
  check "$est M=$m se" "$gs" "${want#* }"
done
for m in 1 4; do
  want=$(awk -F, -v m="$m" '$1 == m { print $2, $3 }' "$ref/ate_expected.csv")
  read -r ge gs < <(run ate "$m")
  check "ATE M=$m estimate" "$ge" "${want% *}"
  check "ATE M=$m se" "$gs" "${want#* }"
  want=$(awk -F, -v m="$m" '$1 == m { print $2, $3 }' "$ref/bc_expected.csv")
  read -r ge gs < <(run att "$m" --bias-adjust)
  check "ATT bias-adjusted M=$m estimate" "$ge" "${want% *}"
  check "ATT bias-adjusted M=$m se" "$gs" "${want#* }"
done
