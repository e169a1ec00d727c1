# Matching without replacement through the CLI against an independent
# brute-force greedy matcher in R (tests/reference/psm/make_psm_reference.R):
# discard, caliper in SDs, exact strata, ratio, the ATC. The matched pairs
# must be identical; estimate and CR1 matched-set SE agree to 1e-6 relative;
# counts exactly.
ref="$DATA/../../reference/psm"
while IFS=, read -r cfg est se ntm ncm ntd ncd nsets; do
  [ "$cfg" = config ] && continue
  case $cfg in
    A) flags="--distance logit --ratio 1 --caliper 0.25 --discard both --exact g" ;;
    B) flags="--distance score --ratio 2 --caliper 0.1 --discard treated" ;;
    C) flags="--distance logit --estimand atc --exact g" ;;
    D) flags="--distance logit --ratio 3 --caliper 0.05 --discard control" ;;
  esac
  "$ATTRIB" psm "$ref/psm_data.csv" --treat treat --outcome y --score ps --id id $flags --format json -q \
    --matches "pairs_$cfg.csv" >"out_$cfg.json" || echo "$cfg: exit $?"
  { echo treated,control; tail -n +2 "pairs_$cfg.csv" | cut -d, -f2,3 | sort -t, -k1,1n -k2,2n; } >"got_$cfg.csv"
  cmp -s "got_$cfg.csv" "$ref/pairs_$cfg.csv" && echo "$cfg: pairs identical ($(($(wc -l <"got_$cfg.csv") - 1)))" ||
    echo "$cfg: pairs differ"
  jq -r --arg e "$est" --arg s "$se" '
    def rel(a; b): ((a - b) / b | fabs);
    "effect \(if rel(.effect.estimate; ($e | tonumber)) <= 1e-6 and rel(.effect.std_error; ($s | tonumber)) <= 1e-6
      then "ok" else "got \(.effect.estimate) \(.effect.std_error), want \($e) \($s)" end)"' "out_$cfg.json" | sed "s/^/$cfg: /"
  got=$(jq -r '.counts | "\(.n_treated_matched),\(.n_control_matched),\(.n_treated_discarded),\(.n_control_discarded),\(.n_sets)"' "out_$cfg.json")
  [ "$got" = "$ntm,$ncm,$ntd,$ncd,$nsets" ] && echo "$cfg: counts ok" || echo "$cfg: counts $got, want $ntm,$ncm,$ntd,$ncd,$nsets"
done <"$ref/psm_expected.csv"
