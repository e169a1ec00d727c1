# Issue 18: roi --from a fit with --by gives an ROI per group, by the rule
# analyze --by uses (attrib_roi_by_compute, one function): the group's
# effect, the SE whose normal interval is the group's interval, and its
# share of --learners (by treated learners when the fit counts them, else by
# size). Checked: roi --from ols.json gives analyze's group ROIs (the same
# numbers: every key of the roi object equal to 1e-12 relative), with and
# without a per-group value per unit; the same for a panel (did --by, whose
# groups are split by size); the text table; --bootstrap draws each group
# from N(E_g, SE_g^2) (its interval near the analytic one); --draws refused.
"$ATTRIB" simulate --rows 4000 --seed 7 --effect-by-role 1 >c.csv
roi="--learners 1000 --value-per-unit 100 --horizon 12 --cost-per-learner 500 --cost platform=20000"
vby="--value-per-unit-by Director=150,Lead=80"
same() { # $1 $2: two JSON files' by.groups[] [level, roi] lists, equal to 1e-12 relative
  jq -c '[.by.groups[] | [.level, (.roi | to_entries[] | [.key, .value])]] | flatten' "$1" | tr -d '[]' | tr ',' '\n' >a.txt
  jq -c '[.by.groups[] | [.level, (.roi | to_entries[] | [.key, .value])]] | flatten' "$2" | tr -d '[]' | tr ',' '\n' >b.txt
  paste a.txt b.txt | awk -F'\t' '{ n++; if ($1 ~ /^"/ || $2 ~ /^"/) { if ($1 != $2) bad++; next }
    d = $1 - $2; if (d < 0) d = -d; s = $1 < 0 ? -$1 : $1; if (d > 1e-12 * (s > 1 ? s : 1)) bad++ }
    END { print (bad ? "differ in " bad " of " n " fields" : "equal (" n " fields)") }'
}
# shellcheck disable=SC2086
"$ATTRIB" analyze c.csv --outcome sales --treat trained --covariates "prior_perf,engagement,tenure" --by role $roi \
  --methods ols -q --format json >an.json
# shellcheck disable=SC2086
"$ATTRIB" analyze c.csv --outcome sales --treat trained --covariates "prior_perf,engagement,tenure" --by role $roi $vby \
  --methods ols -q --format json >anv.json
"$ATTRIB" ols c.csv --formula "sales ~ trained + prior_perf + engagement + tenure" --treat trained --vcov hc1 --by role \
  -q --format json -o ols.json
# shellcheck disable=SC2086
"$ATTRIB" roi --from ols.json $roi -q --format json >r.json
# shellcheck disable=SC2086
"$ATTRIB" roi --from ols.json $roi $vby -q --format json >rv.json
echo "ols, roi --from vs analyze --by: $(same r.json an.json)"
echo "ols, with --value-per-unit-by: $(same rv.json anv.json)"
jq -r '"keys: \(.by.groups[0] | keys | join(",")); roi: \(.by.groups[0].roi | keys | join(","))"' r.json
jq -r '"analyze roi keys: \(.by.groups[0].roi | keys | join(","))"' an.json
jq -r '.by.groups[] | "\(.level): learners \(.learners | . * 1e6 | round / 1e6), value \(.value_per_unit)"' rv.json
# the learners are the treated learners' shares (ols counts them)
jq -r '"shares by treated: \([.by.groups[].learners] | add | . * 1e9 | round / 1e9) learners in all; Associate \(.by.groups[0].learners * 1e9 | round / 1e9)"' r.json
t=$(jq '[.by.groups[].n_treated] | add' ols.json); a=$(jq '.by.groups[0].n_treated' ols.json)
awk -v a="$a" -v t="$t" 'BEGIN { printf "  = 1000 x %d / %d = %.9g\n", a, t, 1000 * a / t }'
# the overall ROI is unchanged by the groups
# shellcheck disable=SC2086
"$ATTRIB" ols c.csv --formula "sales ~ trained + prior_perf + engagement + tenure" --treat trained --vcov hc1 -q --format json -o plain.json
# shellcheck disable=SC2086
"$ATTRIB" roi --from plain.json $roi -q --format json >plain_roi.json
[ "$(jq -c 'del(.by)' r.json)" = "$(jq -c . plain_roi.json)" ] && echo "overall ROI: as without --by" || echo "overall ROI differs"
# the text table
# shellcheck disable=SC2086
"$ATTRIB" roi --from ols.json $roi $vby -q | sed -n '/^ROI by/,$p'
# a panel: did --by writes no treated counts, so the learners split by size, as in analyze
"$ATTRIB" simulate --design panel --rows 1500 --seed 3 >p.csv
# shellcheck disable=SC2086
"$ATTRIB" analyze p.csv --outcome sales --treat treated --unit learner_id --time period --covariates prior_perf --by role \
  --methods did --honest none $roi -q --format json >pa.json
"$ATTRIB" did p.csv --outcome sales --unit learner_id --time period --cohort cohort --by role -q --format json -o did.json
# shellcheck disable=SC2086
"$ATTRIB" roi --from did.json $roi -q --format json >pr.json
echo "did, roi --from vs analyze --by: $(same pr.json pa.json) (method $(jq -r .by.method pa.json))"
# --bootstrap: each group's effect drawn from N(E_g, SE_g^2); the intervals near the analytic ones
# shellcheck disable=SC2086
"$ATTRIB" roi --from ols.json $roi --bootstrap 4000 --seed 5 -q --format json >rb.json
jq -r --slurpfile a r.json '[.by.groups[] | .roi] as $b | [$a[0].by.groups[] | .roi] as $c |
  [range(0; $b | length) | (($b[.].ci_low_pct - $c[.].ci_low_pct) / ($c[.].estimate_pct - $c[.].ci_low_pct) | fabs)] |
  "bootstrap: \(length) groups, group intervals within \(if max < 0.1 then "10%" else "MORE THAN 10%" end) of the analytic half-width"' rb.json
# --draws are the overall effect's: refused with by
printf 'replicate,estimate\n' >d.csv; for i in $(seq 1 20); do echo "$i,3.$i" >>d.csv; done
# shellcheck disable=SC2086
"$ATTRIB" roi --from ols.json $roi --draws d.csv >/dev/null 2>err; echo "exit $?: $(head -1 err)"
# the same from a spec file (its keys are the flags')
printf 'from = ols.json\nlearners = 1000\nvalue_per_unit = 100\nvalue_per_unit_by = Director=150,Lead=80\nhorizon = 12\ncost_per_learner = 500\n[costs]\nplatform = 20000\n' >s.ini
"$ATTRIB" roi --spec s.ini -q --format json >rs.json
echo "--spec with value_per_unit_by: $(same rs.json rv.json)"
