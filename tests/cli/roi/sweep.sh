# Assumption sweeps: the full grid (the last --sweep varying fastest), the
# tornado (each input at its extremes, others at base) and the scenarios
# (every input at its least / most favourable value), checked against the
# closed form 200 x 800 x 48 x A x V against 200,000 of cost, computed here.
roi() { awk -v a="$1" -v v="$2" 'BEGIN { printf "%.6f", 100 * (200 * 800 * 48 * a * v - 200000) / 200000 }'; }
check() { awk -v l="$1" -v g="$2" -v w="$3" 'BEGIN { d = g - w; if (d < 0) d = -d;
  if (d <= 1e-6) print l ": ok"; else { print l ": got " g ", want " w; exit 1 } }'; }
"$ATTRIB" roi --learners 200 --effect 800 --horizon 48 --attribution 0.7 --cost-per-learner 1000 \
  --sweep attribution=0.3:1.0:0.1 --sweep value_per_unit=0.8,1,1.2 --sweep-out grid.csv --format json >s.json
jq -r '.sweep | "cells: \(.n_cells), inputs: \(.inputs | join(", "))"' s.json
check "tornado attribution low" "$(jq '.sweep.tornado[] | select(.input == "attribution") | .roi_pct_at_low' s.json)" "$(roi 0.3 1)"
check "tornado value high" "$(jq '.sweep.tornado[] | select(.input == "value_per_unit") | .roi_pct_at_high' s.json)" "$(roi 0.7 1.2)"
check "conservative" "$(jq '.sweep.scenarios[0].roi_pct' s.json)" "$(roi 0.3 0.8)"
check "moderate" "$(jq '.sweep.scenarios[1].roi_pct' s.json)" "$(roi 0.7 1)"
check "optimistic" "$(jq '.sweep.scenarios[2].roi_pct' s.json)" "$(roi 1 1.2)"
echo "largest swing first: $(jq -r '.sweep.tornado[0].input' s.json)"
echo "grid file: $(($(wc -l <grid.csv) - 1)) rows; header $(head -1 grid.csv)"
bad=0
while IFS=, read -r a v r n; do
  [ "$a" = attribution ] && continue
  w=$(roi "$a" "$v"); awk -v g="$r" -v w="$w" 'BEGIN { d = g - w; exit !(d > 1e-4 || d < -1e-4) }' && bad=$((bad + 1))
done <grid.csv
echo "grid rows off the closed form: $bad"
sed -n '2,4p' grid.csv | cut -d, -f1,2
"$ATTRIB" roi --learners 200 --effect 800 --cost-per-learner 1000 --sweep nonsense=1,2 2>&1 | head -1
"$ATTRIB" roi --learners 200 --effect 800 --cost-per-learner 1000 --sweep cost.licence=1,2 2>&1 | head -1
"$ATTRIB" roi --learners 200 --effect 800 --cost-per-learner 1000 --sweep attribution=1:0:0.1 2>&1 | head -1
