# The Abadie-Imbens (2016) correction for the estimated score against the
# brute-force R statement of the paper's formulas
# (tests/reference/psm/make_ps_adjust_reference.R): ATT, ATC, ATE with
# M = 1 and 4 on a fitted logit score; the estimate and the known-score SE
# (--ps-known, Matching::Match's) and the corrected SE to 1e-6 relative.
# Also: the correction does not depend on row order (the neighbourhoods
# are chosen by distance and id) or on the thread count.
ref="$DATA/../../reference/psm"
check() { # label got want
  awk -v l="$1" -v g="$2" -v w="$3" 'BEGIN { d = (g - w) / w; if (d < 0) d = -d;
    if (d <= 1e-6) print l ": ok"; else { print l ": got " g ", want " w; exit 1 } }'
}
run() { # file estimand M extra...
  f=$1 est=$2 m=$3; shift 3
  "$ATTRIB" psm "$f" --treat treat --outcome y --covariates x1,x2,x3 --replace --estimand "$est" --ratio "$m" \
    --id id --format json "$@" | jq -r '[.effect.estimate, .effect.std_error, .effect.se_method] | @tsv'
}
for row in ATT,1 ATT,4 ATC,1 ATC,4 ATE,1 ATE,4; do
  est=${row%,*} m=${row#*,} e=$(echo "${row%,*}" | tr A-Z a-z)
  read -r we wk ws < <(awk -F, -v e="$est" -v m="$m" '$1 == e && $2 == m { print $3, $4, $5 }' "$ref/ps_adjust_expected.csv")
  read -r ge gs gm < <(run "$ref/ps_adjust_data.csv" "$e" "$m")
  echo "$est M=$m: $gm"
  check "$est M=$m estimate" "$ge" "$we"
  check "$est M=$m corrected se" "$gs" "$ws"
  read -r ge gs gm < <(run "$ref/ps_adjust_data.csv" "$e" "$m" --ps-known)
  echo "$est M=$m --ps-known: $gm"
  check "$est M=$m known-score se" "$gs" "$wk"
done
# shuffled rows and another thread count: the same neighbourhoods, so the
# same SE (up to the score model's summation order, 1e-9)
{ head -1 "$ref/ps_adjust_data.csv"; tail -n +2 "$ref/ps_adjust_data.csv" | sort -t, -k3,3; } >shuffled.csv
read -r ae as am < <(run "$ref/ps_adjust_data.csv" att 1 --threads 2)
read -r be bs bm < <(run shuffled.csv att 1 --threads 1)
awk -v a="$as" -v b="$bs" 'BEGIN { d = (a - b) / a; if (d < 0) d = -d;
  print (d <= 1e-9 ? "row order and threads: same SE" : "row order and threads: " a " vs " b) }'
