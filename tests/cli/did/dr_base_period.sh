# CS with time-varying covariates reads them at each cell's base period, as
# did (its panel2cs2 keeps the earlier period's covariates; issue 17): on
# did_dr_panel.csv with x1 made to vary over time, the doubly robust cell
# (5, 6) of the whole panel (base period 4) equals the same cell estimated
# on periods 4 and 6 alone, where the base is the first period; never-treated
# comparisons, cohorts 5 and never only in the subset. Estimate 1e-10, SE
# 1e-8. Before (covariates at each unit's first period) they differed.
p="$DATA/../../reference/did/did_dr_panel.csv"
awk -F, -v OFS=, 'NR == 1 { print $0, "xv"; next } { print $0, sprintf("%.6f", $4 + 0.5 * sin($1 * $2)) }' "$p" >tv.csv
awk -F, 'NR == 1 || (($2 == 4 || $2 == 6) && ($3 == 5 || $3 == 0))' tv.csv >sub.csv
run() { "$ATTRIB" did "$1" --outcome y --unit id --time period --cohort cohort --covariates "xv,x2" -q --format json; }
a=$(run tv.csv | jq -r '.group_time[] | select(.group == 5 and .time == 6) | "\(.att) \(.std_error)"')
b=$(run sub.csv | jq -r '.group_time[] | select(.group == 5 and .time == 6) | "\(.att) \(.std_error)"')
awk -v a="$a" -v b="$b" 'BEGIN { split(a, x, " "); split(b, y, " "); de = x[1] - y[1]; if (de < 0) de = -de;
  ds = (x[2] - y[2]) / y[2]; if (ds < 0) ds = -ds
  print "cell (5,6), whole panel vs periods 4 and 6: estimate " (de < 1e-10 ? "equal" : x[1] " vs " y[1]) ", SE " (ds < 1e-8 ? "equal" : x[2] " vs " y[2]) }'
