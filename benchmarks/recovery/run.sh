#!/usr/bin/env bash
# The recovery benchmark (issue 12; README.md beside this file): for each
# design, SEEDS data sets from `attrib simulate` (ROWS learners each) run
# through `attrib analyze`; per design, how often the primary method's 95%
# interval covers the true ATT, the ROI interval the true ROI, and how often
# each check and the headline return each verdict.
#
# Usage: benchmarks/recovery/run.sh [--seeds N] [--rows N] [--out DIR] [--check] [DESIGN ...]
#   designs: cohort staggered single null clusters12 overlap pretrend (default: all)
#   --out DIR   keep the per-seed rows (DIR/DESIGN.csv) and the summary (DIR/summary.md)
#   --check     exit 1 unless each design meets its target (the short ctest run,
#               tests/cli/analyze/recovery.sh, uses it with few seeds)
# Run it with nice: it is one process after another, about 0.1-0.3 s per data set.
set -euo pipefail
cd "$(dirname "$0")/../.."
ATTRIB=${ATTRIB:-$PWD/build/attrib}
seeds=500 rows=2000 out="" check=0 designs=()
while [ $# -gt 0 ]; do
  case $1 in
  --seeds) seeds=$2; shift 2 ;;
  --rows) rows=$2; shift 2 ;;
  --out) out=$2; shift 2 ;;
  --check) check=1; shift ;;
  *) designs+=("$1"); shift ;;
  esac
done
[ ${#designs[@]} -gt 0 ] || designs=(cohort staggered single null clusters12 overlap pretrend)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
[ -n "$out" ] && mkdir -p "$out"

# The ROI inputs of every design: value 100 per unit of sales per period, 12 periods, 1,000 per
# learner; learners = the trained learners in the data (analyze's default, and the truth's).
ROI=(--value-per-unit 100 --horizon 12 --cost-per-learner 1000)
CROSS=(--outcome sales --treat trained --covariates "prior_perf,engagement,tenure,factor(role)")
# --honest none: the honest parallel-trends bounds (about 1-3 s a study) measure sensitivity, not
# recovery; the study here is of the estimates, the ROI and the checks' verdicts.
PANEL=(--outcome sales --treat treated --covariates "prior_perf,factor(role)" --unit learner_id --time period --cohort cohort
  --honest none)

# design -> simulate options | analyze options | the checks' expected verdicts
sim_args() {
  case $1 in
  cohort) echo "" ;;
  staggered) echo "--design panel" ;;
  single) echo "--design panel --adoption single" ;;
  null) echo "--effect 0" ;;
  clusters12) echo "--teams 12" ;;
  overlap) echo "--selection 2" ;;
  pretrend) echo "--design panel --pretrend 0.5" ;;
  esac
}
is_panel() { case $1 in staggered | single | pretrend) return 0 ;; *) return 1 ;; esac; }

run_design() {
  local d=$1 csv=$tmp/$1.csv
  echo "design,seed,method,primary,estimate,std_error,ci_low,ci_high,att,roi_pct,roi_low,roi_high,true_roi,balance,overlap,pre_trends,verdict" >"$csv"
  local an=("${CROSS[@]}")
  is_panel "$d" && an=("${PANEL[@]}")
  [ "$d" = clusters12 ] && an+=(--cluster team)
  for s in $(seq "$seeds"); do
    # shellcheck disable=SC2046
    "$ATTRIB" simulate --rows "$rows" --seed "$s" $(sim_args "$d") "${ROI[@]}" -q -o "$tmp/d.csv" --truth "$tmp/t.json"
    if ! "$ATTRIB" analyze "$tmp/d.csv" "${an[@]}" "${ROI[@]}" --format json -q >"$tmp/a.json" 2>"$tmp/err"; then
      echo "$d,$s,none,1,,,,,,,,,,,,,error: $(head -1 "$tmp/err" | tr ',' ';')" >>"$csv"
      continue
    fi
    jq -r --arg d "$d" --arg s "$s" --slurpfile t "$tmp/t.json" '
      def chk(n): ([.checks[] | select(.name == n) | .verdict] | first) // "";
      . as $a | $a.methods[] | select(.estimate != null) |
      [$d, $s, .method, (if .method == $a.primary_method then 1 else 0 end), .estimate, .std_error, .ci_low, .ci_high,
       $t[0].att, $a.roi.roi_pct, $a.roi.roi_ci_low_pct, $a.roi.roi_ci_high_pct, $t[0].roi.roi_pct,
       ($a | chk("balance")), ($a | chk("overlap")), ($a | chk("pre_trends")), $a.headline.verdict] | @csv' \
      "$tmp/a.json" | tr -d '"' >>"$csv"
  done
  [ -n "$out" ] && cp "$csv" "$out/$d.csv"
  return 0
}

# per design: the primary method's coverage (and its Monte Carlo SE), bias, mean SE against the
# SD of the estimates, the ROI interval's coverage, each check's verdicts, the headline's
summarise() {
  local d=$1
  awk -F, -v d="$d" -v check="$check" -v table="$tmp/table.md" '
    NR == 1 { next }
    $3 == "none" { err++; next }
    $4 == 1 {
      n++; m = $3; meth[m]++; e = $5 - $9; bias += e; se += $6; ss += e * e;
      cov += ($7 <= $9 && $9 <= $8); att += $9; troi += $13;
      rcov += ($11 <= $13 && $13 <= $12);
      b[$14]++; o[$15]++; p[$16]++; v[$17]++
    }
    $4 == 0 { an[$3]++; acov[$3] += ($7 <= $9 && $9 <= $8) }
    function tab(a,   k, s) { s = ""; for (k in a) if (k != "") s = s (s ? " " : "") k " " a[k]; return s == "" ? "-" : s }
    END {
      if (!n) { printf "| %s | no estimate (%d errors) |\n", d, err; exit check ? 1 : 0 }
      c = cov / n; mc = sqrt(c * (1 - c) / n); rc = rcov / n
      mse = bias / n; sd = sqrt(ss / n - mse * mse)
      others = ""; for (k in an) others = others sprintf("%s %.1f%% ", k, 100 * acov[k] / an[k])
      printf "| %s | %s | %d | %.4g | %.4g | %.1f%% (MC SE %.1f) | %+.4f | %.4f / %.4f | %.1f%% | %s | %s | %s | %s | %s |\n",
        d, tab(meth), n, att / n, troi / n, 100 * c, 100 * mc, mse, se / n, sd, 100 * rc,
        tab(o), tab(b), tab(p), tab(v), others >> table
      if (check) {
        # targets: valid designs cover the truth, the broken ones are flagged
        bad = 0
        if (d == "pretrend") { if ((p["fail"] + 0) / n < 0.8) bad = 1 }
        else if (c < 0.85) bad = 1
        if (d == "overlap" && (o["fail"] + 0) / n < 0.8) bad = 1
        if ((d == "overlap" || d == "pretrend") && (v["inconclusive"] + 0) / n < 0.8) bad = 1
        if (d != "overlap" && d != "pretrend" && (o["fail"] + 0 + p["fail"]) / n > 0.2) bad = 1
        if (err) bad = 1
        printf "%s: %s\n", d, bad ? "MISSED the target" : "meets the target"
        exit bad
      }
    }' "$tmp/$d.csv"
}

echo "| design | primary | seeds | true ATT (mean) | true ROI % (mean) | coverage of the ATT | bias | mean SE / SD of estimates | coverage of the ROI | overlap | balance | pre_trends | headline | other methods' coverage |
|---|---|---|---|---|---|---|---|---|---|---|---|---|---|" >"$tmp/table.md"
status=0
for d in "${designs[@]}"; do
  run_design "$d"
  summarise "$d" || status=1
done
[ $check = 1 ] || cat "$tmp/table.md"
[ -z "$out" ] || cp "$tmp/table.md" "$out/summary.md"
exit $status
