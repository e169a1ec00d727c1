# analyze --by: the primary method's subgroups equal the single command's
# (ols --by role with HC1 on a cross-section, did --by role on a panel:
# estimates and SEs identical), each group's ROI equals attrib roi run with the
# group's effect, the SE of its interval (half-width / z) and its learners (the
# group's treated learners): point ROI and interval to 1e-9 relative; the
# Markdown and HTML reports carry the "By subgroup" table (and the forest plot).
"$ATTRIB" simulate --rows 4000 --seed 7 --effect-by-role 1 >c.csv
roi="--value-per-unit 100 --horizon 12 --cost-per-learner 500"
# shellcheck disable=SC2086
"$ATTRIB" analyze c.csv --outcome sales --treat trained --covariates "prior_perf,engagement,tenure" --by role $roi \
  -q --format json --report r.html --report-md r.md >an.json
"$ATTRIB" ols c.csv --formula "sales ~ trained + prior_perf + engagement + tenure" --treat trained --vcov hc1 --by role \
  -q --format json >ols.json
a=$(jq -c '[.by.groups[] | [.level, .effect.estimate, .effect.std_error]]' an.json)
b=$(jq -c '[.by.groups[] | [.level, .effect.estimate, .effect.std_error]]' ols.json)
[ "$a" = "$b" ] && echo "cross-section: the primary (ols) subgroups equal ols --by" || echo "differ: $a vs $b"
echo "method: $(jq -r .by.method an.json), test $(jq -r .by.equality_test.test an.json)"
jq -r '.by.groups[] | [.level, .effect.estimate, .effect.ci_low, .effect.ci_high, .roi.learners, .roi.estimate_pct, .roi.ci_low_pct, .roi.ci_high_pct] | @tsv' an.json |
  while IFS="$(printf '\t')" read -r lv est lo hi n pct plo phi; do
    se=$(awk -v lo="$lo" -v hi="$hi" 'BEGIN { printf "%.17g", (hi - lo) / 2 / 1.959963984540054 }')
    # shellcheck disable=SC2086
    "$ATTRIB" roi --effect "$est" --se "$se" --learners "$n" $roi -q --format json >roi.json
    jq -r '[.roi_pct, .roi_ci_low_pct, .roi_ci_high_pct] | @tsv' roi.json 2>/dev/null >got.tsv ||
      jq -r '[.roi.roi_pct, .roi.ci_low_pct, .roi.ci_high_pct] | @tsv' roi.json >got.tsv
    awk -v l="$lv" -v a="$pct" -v b="$plo" -v c="$phi" '{ ok = 1
        d = ($1 - a) / a; if (d < 0) d = -d; if (d > 1e-9) ok = 0
        d = ($2 - b) / b; if (d < 0) d = -d; if (d > 1e-9) ok = 0
        d = ($3 - c) / c; if (d < 0) d = -d; if (d > 1e-9) ok = 0
        print l ": ROI " (ok ? "equals attrib roi" : "differs: " $0 " vs " a " " b " " c) }' got.tsv
  done
grep -c '^## By subgroup: role' r.md
grep -c '^| Director |' r.md
grep -c 'id="by-subgroup"' r.html
grep -c 'id="chart-by-forest"' r.html
"$ATTRIB" simulate --design panel --rows 1500 --seed 3 >p.csv
"$ATTRIB" analyze p.csv --outcome sales --treat treated --unit learner_id --time period --covariates prior_perf --by role \
  --honest none -q --format json >pa.json
"$ATTRIB" did p.csv --outcome sales --unit learner_id --time period --cohort cohort --by role -q --format json >did.json
a=$(jq -c '[.by.groups[] | [.level, .effect.estimate, .effect.std_error]]' pa.json)
b=$(jq -c '[.by.groups[] | [.level, .effect.estimate, .effect.std_error]]' did.json)
[ "$a" = "$b" ] && echo "panel: the primary ($(jq -r .by.method pa.json)) subgroups equal did --by" || echo "differ: $a vs $b"
