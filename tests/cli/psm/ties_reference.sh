# Matching with replacement keeps tied controls (Abadie & Imbens 2006's
# J_M, issue 12 defect 3), against R's Matching::Match(ties = TRUE) on
# Lalonde's tied scores (tests/reference/psm/make_ties_reference.R): the
# given glm score, matched on itself as Match(X = ps) does; ATT, ATC and ATE
# for M = 1 and 4, the ATT with Matching's default tolerance
# (--tie-tolerance 1e-5), the bias-adjusted ATT; ps2 is a 4-valued score
# (sets of ~100 ties). Estimate and SE to 1e-9 relative, pairs, matched
# controls and tied sets exactly. Then the pairs file and the balance
# table of that matching, and the Abadie-Imbens (2016) corrected SE with
# ties in its neighbourhoods against its brute-force statement (attrib fits
# the score itself there; glm agrees to 1e-13).
ref="$DATA/../../reference/psm"
check() { # label got want tolerance
  awk -v l="$1" -v g="$2" -v w="$3" -v t="${4:-1e-9}" 'BEGIN { d = g - w; if (w != 0) d /= w; if (d < 0) d = -d;
    if (d <= t) print l ": ok"; else { print l ": got " g ", want " w; exit 1 } }'
}
same() { # label got want
  if [ "$2" = "$3" ]; then echo "$1: ok"; else echo "$1: got $2, want $3"; fi
}
while IFS=, read -r sc est m tol ba we ws wp wc wt; do
  case "$est" in ATT | ATC | ATE) ;; *) continue ;; esac
  e=$(echo "$est" | tr A-Z a-z) tol=$(printf '%g' "$tol")
  flags=(--estimand "$e" --ratio "$m")
  [ "$tol" != 0 ] && flags+=(--tie-tolerance "$tol")
  [ "$ba" = 1 ] && flags+=(--bias-adjust)
  label="$sc $est M=$m tol=$tol"; [ "$ba" = 1 ] && label+=" bias-adjusted"
  read -r ge gs gp gc gt < <("$ATTRIB" psm "$ref/lalonde_ties_data.csv" --treat treat --outcome re78 --score "$sc" \
    --distance score --replace --id id --format json "${flags[@]}" |
    jq -r '[.effect.estimate, .effect.std_error, .counts.n_matches, .counts.n_control_matched, .counts.n_tied_sets] | @tsv')
  check "$label estimate" "$ge" "$we"
  check "$label se" "$gs" "$ws"
  same "$label pairs, matched controls" "$gp $gc" "$(echo $wp $wc)"
  [ "$est" != ATE ] && same "$label tied sets" "$gt" "$(echo $wt)"
done < <(tail -n +2 "$ref/ties_expected.csv")
# every pair of Match(ATT, M = 1) with its weight 1/#J
"$ATTRIB" psm "$ref/lalonde_ties_data.csv" --treat treat --outcome re78 --score ps --distance score --replace --id id \
  --covariates age,educ,race,married,nodegree,re74,re75 \
  --matches pairs.csv --format json -o out.json
awk -F, 'NR > 1 { printf "%s,%s,%.12g\n", $2, $3, $5 }' pairs.csv | sort >got.csv
awk -F, 'NR > 1 { printf "%s,%s,%.12g\n", $1, $2, $3 }' "$ref/ties_pairs.csv" | sort >want.csv
cmp -s got.csv want.csv && echo "pairs and weights: same as Matching ($(wc -l <got.csv) pairs)" || diff got.csv want.csv | head
# the balance table after that matching (Matching's weights, cobalt's SMD)
while IFS=, read -r term smd vr; do
  if [ "$term" = "(ess_control)" ]; then
    check "balance: effective number of controls" "$(jq '.counts.ess_control' out.json)" "$smd"
    continue
  fi
  check "balance $term smd" "$(jq --arg t "$term" '.balance.rows[] | select(.term == $t) | .smd_after' out.json)" "$smd"
  [ "$vr" != NA ] && check "balance $term variance ratio" \
    "$(jq --arg t "$term" '.balance.rows[] | select(.term == $t) | .var_ratio_after' out.json)" "$vr"
done < <(tail -n +2 "$ref/ties_balance_expected.csv" | tr -d ' ')
# the estimated-score correction with tied neighbourhoods
while IFS=, read -r model est m we wk ws; do
  case $model in
  full) f="$DATA/lalonde.csv" y=re78 cov="age,educ,race,married,nodegree,re74,re75" ;;
  coarse) f="$DATA/lalonde.csv" y=re78 cov="married,nodegree" ;;
  lattice) f="$ref/ties_lattice_data.csv" y=y cov=x ;;
  esac
  read -r ge gk gs gm < <("$ATTRIB" psm "$f" --treat treat --outcome "$y" --covariates "$cov" --replace --id id \
    --estimand "$(echo "$est" | tr A-Z a-z)" --ratio "$m" --format json |
    jq -r '[.effect.estimate, .effect.std_error_known_ps, .effect.std_error, .effect.se_method] | @tsv')
  check "$model $est M=$m ($gm) estimate" "$ge" "$we" 1e-8
  check "$model $est M=$m known-score se" "$gk" "$wk" 1e-8
  check "$model $est M=$m corrected se" "$gs" "$ws" 1e-8
done < <(tail -n +2 "$ref/ties_ps_adjust_expected.csv" | tr -d ' ')
