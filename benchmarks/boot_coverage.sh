#!/usr/bin/env bash
# Coverage study of the bootstrap intervals (issue 6; not run in CI):
# REPS simulated cohorts (attrib simulate: selection on observables, a
# constant training effect of 2, team clusters; docs/methods/simulate.md),
# the adjusted OLS of sales on trained + prior_perf + engagement + tenure +
# factor(role), and for each bootstrap type and interval whether the 95%
# interval covers 2. Prints the empirical coverage of each beside the
# analytic CR1 interval. Usage: benchmarks/boot_coverage.sh [REPS] [ROWS] [TEAMS]
set -euo pipefail
cd "$(dirname "$0")/.."
ATTRIB=${ATTRIB:-build/attrib}
reps=${1:-200} rows=${2:-2000} teams=${3:-40}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
F="sales ~ trained + prior_perf + engagement + tenure + factor(role)"
declare -A hit
configs=("pairs percentile" "pairs bca" "pairs studentized" "pairs basic" "pairs normal"
         "cluster percentile" "cluster bca" "cluster studentized" "wild percentile" "wild studentized")
for r in $(seq "$reps"); do
  "$ATTRIB" simulate --rows "$rows" --teams "$teams" --seed "$r" --effect 2 -o "$tmp/d.csv" -q
  a=$("$ATTRIB" ols "$tmp/d.csv" --formula "$F" --cluster team --treat trained -q --format json |
      jq -r '(.effect.ci_low <= 2 and 2 <= .effect.ci_high)')
  [ "$a" = true ] && hit[analytic]=$(( ${hit[analytic]:-0} + 1 ))
  for c in "${configs[@]}"; do
    set -- $c
    cl=(); [ "$1" != pairs ] && cl=(--cluster team)
    [ "$1" = pairs ] && cl=()
    v=$("$ATTRIB" ols "$tmp/d.csv" --formula "$F" "${cl[@]}" --treat trained --bootstrap 999 --seed "$r" \
        --boot-type "$1" --ci "$2" -q --format json | jq -r '(.bootstrap.ci_low <= 2 and 2 <= .bootstrap.ci_high)')
    [ "$v" = true ] && hit[$c]=$(( ${hit[$c]:-0} + 1 ))
  done
done
echo "coverage of the true effect (2) by nominal 95% intervals, $reps datasets of $rows rows, $teams team clusters"
printf '  %-24s %s\n' "analytic CR1 (t, G-1 df)" "$(awk -v h="${hit[analytic]:-0}" -v n="$reps" 'BEGIN { printf "%.3f", h / n }')"
for c in "${configs[@]}"; do
  printf '  %-24s %s\n' "$c" "$(awk -v h="${hit[$c]:-0}" -v n="$reps" 'BEGIN { printf "%.3f", h / n }')"
done
echo "  (Monte Carlo SE of a coverage near 0.95 with $reps datasets: $(awk -v n="$reps" 'BEGIN { printf "%.3f", sqrt(0.95 * 0.05 / n) }'))"
