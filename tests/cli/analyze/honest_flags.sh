# issue 17: attrib analyze takes did's --honest flags. --honest none skips
# the bounds (honest null, honest_note "not requested", no break-even in
# money); --honest sd --m LIST runs smoothness at the given M on the same
# event study as attrib did --base-period universal --honest sd (the sets
# equal did's to 1e-9); the default stays relative magnitudes at Mbar
# 0 .. 2, and --mbar replaces the grid.
P="$DATA/../../../datasets/panel_sample.csv"
A="--outcome sales --treat treated --unit learner_id --time period --cohort cohort --covariates prior_perf"
R="--value-per-unit 100 --cost-per-learner 250"
"$ATTRIB" analyze "$P" $A $R --honest none --format json -q | jq -c '{honest, honest_note}'
"$ATTRIB" analyze "$P" $A $R --honest none -q | grep -o "Honest parallel-trends bounds not requested"
"$ATTRIB" analyze "$P" $A $R --honest sd --m 0,0.1 --format json -q >sd.json
jq -c '.honest | {restriction, method, target, n_sets: (.sets | length), m: [.sets[].m], breakeven_status}' sd.json
jq -c '.honest.sets[] | {m, ci_low: (.ci_low * 1e6 | round / 1e6), ci_high: (.ci_high * 1e6 | round / 1e6), shape}' sd.json
"$ATTRIB" did "$P" --outcome sales --unit learner_id --time period --cohort cohort --base-period universal \
  --honest sd --m 0,0.1 --format json -q >d.json
close() { awk -v n="$1" -v a="$2" -v b="$3" -v tol="$4" 'BEGIN { d = a - b; if (d < 0) d = -d; m = b < 0 ? -b : b;
  print n ": " (d <= tol * (1 + m) ? "same" : a " vs " b) }'; }
for i in 0 1; do
  for k in ci_low ci_high; do
    close "sd set $i $k = attrib did --honest sd" "$(jq ".honest.sets[$i].$k" sd.json)" "$(jq ".honest.sets[$i].$k" d.json)" 1e-9
  done
done
"$ATTRIB" analyze "$P" $A $R --honest sd --m 0,0.1 -q | grep -o "the ROI stays positive unless the post-rollout trend's slope changes by more than M = [0-9.]*"
"$ATTRIB" analyze "$P" $A --mbar 0,1 --format json -q | jq -c '.honest | {restriction, mbar: [.sets[].mbar]}'
