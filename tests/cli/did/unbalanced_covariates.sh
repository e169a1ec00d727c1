# Callaway-Sant'Anna on an unbalanced panel with covariates (issue 17;
# did's allow_unbalanced_panel with xformla, the locally efficient DR
# estimator for repeated cross sections, src/did/dr_rc.c) against the
# written-out R reference of tests/reference/did_rc/make.R (80 units, 5
# periods, a sixth of the rows missing, covariates x1 time-varying and x2
# fixed). There the analytic influence function is checked against a
# numerical derivative of the ATT in each row's weight (3.8e-7); DRDID's (GitHub, 20929a8)
# sign for the base-period regression misses it by 10, so the SEs here are
# the paper's (cells.csv also lists the other sign's SE). ATT to 1e-10
# absolute, SE to 1e-9 relative.
dir="$REFERENCE/did_rc"
"$ATTRIB" did "$dir/panel.csv" --outcome sales --unit learner_id --time period --cohort cohort \
  --covariates x1,x2 --unbalanced keep -q --format json >out.json
tail -n +2 "$dir/cells.csv" | while IFS=, read -r g t att se se2; do
  got=$(jq -r ".group_time[] | select(.group == $g and .time == $t) | [.att, .std_error] | @tsv" out.json)
  awk -v l="ATT($g,$t)" -v g="$got" -v a="$att" -v s="$se" -v s2="$se2" 'BEGIN { split(g, v, "\t");
    da = v[1] - a; if (da < 0) da = -da; ds = (v[2] - s) / s; if (ds < 0) ds = -ds
    d2 = (v[2] - s2) / s2; if (d2 < 0) d2 = -d2
    print l ": " (g != "" && da <= 1e-10 && ds <= 1e-9 && d2 > 1e-6 ? "att and se ok" : "got " v[1] " " v[2] ", want " a " " s) }'
done
jq -r '"cells \(.group_time | length); first warning: \(.warnings[0])"' out.json
# a row with a missing covariate is left out like a missing outcome (did
# drops it): the same numbers as the file without that row
awk -F, -v OFS=, 'NR == 2 { $4 = "" } { print }' "$dir/panel.csv" >miss.csv
awk 'NR != 2' "$dir/panel.csv" >cut.csv
for f in miss cut; do
  "$ATTRIB" did $f.csv --outcome sales --unit learner_id --time period --cohort cohort \
    --covariates x1,x2 --unbalanced keep -q --format json | jq -c '[.group_time[] | .att, .std_error]' >$f.txt
done
cmp -s miss.txt cut.txt && echo "a missing covariate drops its row: identical to deleting the row"
cmp -s miss.txt <(jq -c '[.group_time[] | .att, .std_error]' out.json) || echo "and differs from the full data"
# a covariate constant among the comparison units at the base period of a cell: named, one line
awk -F, -v OFS=, 'NR == 1 { print $0, "z"; next } { print $0, ($3 == 0 ? 1 : NR % 3) }' "$dir/panel.csv" >const.csv
"$ATTRIB" did const.csv --outcome sales --unit learner_id --time period --cohort cohort \
  --covariates x1,z --unbalanced keep -q 2>&1
echo "exit $?"
