# ols --from-stats against R (tests/reference/ols_stats/make_ols_stats_reference.R):
# two parts' sums written by R as a distributed engine would, merged by attrib,
# against lm() + sandwich on the whole file. Round 1 (each part's residual pass
# at its own coefficients) gives iid; round 2 (at the whole fit's) gives hc1
# and CR1. Estimates and SEs to 1e-9 relative; the merged statistics written
# with --stats-out read back to the same fit.
dir="$REFERENCE/ols_stats"
check() { # label, vcov column of expected.csv, JSON
  jq -r '.coefficients[] | [.term, .estimate, .std_error] | @tsv' "$3" >got.tsv
  tail -n +2 "$dir/expected.csv" | tr -d '"' | awk -F, -v se="$2" -v l="$1" '
    BEGIN { col = se == "se_iid" ? 3 : se == "se_hc1" ? 4 : 5 }
    NR == FNR { split($0, g, "\t"); est[g[1]] = g[2]; sd[g[1]] = g[3]; next }
    { d = (est[$1] - $2) / $2; if (d < 0) d = -d; s = (sd[$1] - $col) / $col; if (s < 0) s = -s
      if (!($1 in est) || d > 1e-9 || s > 1e-9) { print l ": " $1 " got " est[$1] " " sd[$1] ", want " $2 " " $col; bad = 1 }
      n++ }
    END { if (!bad) print l ": " n " coefficients ok" }' got.tsv -
}
"$ATTRIB" ols --from-stats "$dir/round1_a.json" "$dir/round1_b.json" --vcov iid --stats-out merged.json --format json -q >iid.json
check "round 1, iid" se_iid iid.json
"$ATTRIB" ols --from-stats "$dir/round2_hc1_a.json" "$dir/round2_hc1_b.json" --format json -q >hc1.json
check "round 2, hc1" se_hc1 hc1.json
"$ATTRIB" ols --from-stats "$dir/round2_cr1_a.json" "$dir/round2_cr1_b.json" --treat trained --format json -q >cr1.json
check "round 2, cr1" se_cr1 cr1.json
jq -r '"clusters: \(.vcov.clusters[0].name) \(.vcov.clusters[0].n)", "effect: \(.effect.term)", "warnings: \(.warnings | length)"' cr1.json
# the merged file: the merged solution's coefficients, the meats dropped
jq -r '"merged: parts \(.parts), meat_dropped \(.residuals.meat_dropped)"' merged.json
"$ATTRIB" ols --from-stats merged.json --format json -q >back.json
check "merged file read back, iid" se_iid back.json
"$ATTRIB" ols --from-stats merged.json --vcov cluster
echo "exit $?"
