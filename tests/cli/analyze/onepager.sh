# Issue 16, the one-pager's numbers in the JSON (the page is rebuilt from
# them): the four-tier funnel (each tier's learners as a share of the
# eligible ones, by arm), the cohort lines (a panel's mean KPI by period per
# rollout cohort; a cross-section's before / after by arm with a baseline
# column) recomputed here by awk from the CSV; the headline's words and
# figures (a point ROI is the finding only when the verdict is clear); the
# units carried; the options refused with the field named; --report-md.
cat >f.csv <<'C'
y,t,x,pre,enrolled,completed,certified
10,1,1,8,1,1,1
12,1,2,9,1,1,0
14,1,3,11,1,0,0
9,1,1,,1,,0
7,0,2,7,0,0,0
8,0,3,7,1,1,0
6,0,1,6,0,0,0
5,0,2,4,0,0,0
11,0,3,9,0,0,0
4,0,1,5,0,0,0
C
"$ATTRIB" analyze f.csv --outcome y --treat t --covariates x --methods ols --baseline pre \
  --funnel "enrolled=enrolled,completed=completed,certified=certified" --format json -q >f.json
echo "exit $?"
# columns: y 1, t 2, pre 4, enrolled 5, completed 6, certified 7
awk -F, 'NR > 1 { a = $2; n[a]++; for (j = 5; j <= 7; j++) if ($j == 1) { c[j, a]++; c[j]++ }
    if ($4 != "") { m[a]++; pre[a] += $4; post[a] += $1 } }
  END { for (j = 5; j <= 7; j++) printf "awk tier %d: %d of %d (%.6f); trained %.6f; untrained %.6f\n", j - 4, c[j], n[0] + n[1],
        c[j] / (n[0] + n[1]), c[j, 1] / n[1], c[j, 0] / n[0]
        printf "awk before/after: trained %d %.6f %.6f; untrained %d %.6f %.6f\n", m[1], pre[1] / m[1], post[1] / m[1], m[0],
        pre[0] / m[0], post[0] / m[0] }' f.csv
jq -r '.funnel.tiers | to_entries[] | .value as $t |
  "attrib tier \(.key + 1): \($t.n) of 10 (\($t.share * 1e6 | round / 1e6)); trained \($t.share_treated * 1e6 | round / 1e6); untrained \($t.share_control * 1e6 | round / 1e6)"' f.json
jq -r '.cohort_lines.lines as $l | "attrib before/after: trained \($l[0].n_units) \($l[0].mean[0] * 1e6 | round / 1e6) \($l[0].mean[1] * 1e6 | round / 1e6); untrained \($l[1].n_units) \($l[1].mean[0] * 1e6 | round / 1e6) \($l[1].mean[1] * 1e6 | round / 1e6)"' f.json
jq -c '{funnel: (.funnel | {n_eligible, n_treated, n_control, tiers: [.tiers[] | [.tier, .name, .share_of_previous]], business_impact: .business_impact.tier}),
  lines: (.cohort_lines | {kind, baseline, points, labels: [.lines[].label]})}' f.json
# a panel: the mean KPI by period for each first treated period (late ones
# count as never), every learner; awk groups the rows by the cohort column
P="$DATA/../../../datasets/panel_sample.csv"
"$ATTRIB" analyze "$P" --outcome sales --treat treated --covariates "prior_perf" --unit learner_id --time period \
  --cohort cohort --methods did --funnel "enrolled=treated" --period week --format json -q >p.json
# columns: learner_id 1, period 3, cohort 4, treated 5, sales 10
awk -F, 'NR > 1 { k = $4 + 0; s[k, $3] += $10; n[k, $3]++; if (!seen[$1]++) u[k]++; if ($5 == 1) e[$1] = 1 }
  END { for (k = 0; k <= 8; k++) if (u[k]) { printf "awk cohort %d (%d learners):", k, u[k]
          for (p = 1; p <= 8; p++) printf " %.6f", s[k, p] / n[k, p]; printf "\n" }
        for (i in e) m++; printf "awk enrolled (treated in any period): %d\n", m }' "$P"
jq -r '.cohort_lines.lines[] | "\(.cohort // 0) \(.n_units) " + ([.mean[] | tostring] | join(" "))' p.json |
  awk '{ printf "attrib cohort %d (%d learners):", $1, $2; for (i = 3; i <= NF; i++) printf " %.6f", $i; printf "\n" }'
jq -r '"attrib enrolled: \(.funnel.tiers[0].n) (share \(.funnel.tiers[0].share), of the trained \(.funnel.tiers[0].share_treated))"' p.json
jq -c '{kind: .cohort_lines.kind, points: .cohort_lines.points, starts: [.cohort_lines.lines[].start], units}' p.json
# the headline: an inconclusive ROI is not the finding; a clear one is
S="$DATA/../../../datasets/learners_sample.csv"
"$ATTRIB" analyze "$S" --outcome sales --treat trained --covariates "prior_perf,engagement,tenure,factor(role)" --methods ols \
  --value-per-unit 1000 --horizon 12 --cost-per-learner 1000 --currency EUR --period month --kpi-unit "sales per month" \
  --format json -q --report-md r.md >a.json
jq -c '.headline | {verdict, verdict_words, roi: .roi.is_finding, net: .net_benefit.currency, unit: .effect_per_period.kpi_unit,
  comparison, horizon, payback_months_equal_periods: (.payback.months == .payback.periods)}' a.json
jq -r '.headline.text' a.json
"$ATTRIB" simulate --rows 800 --seed 5 --effect 4 -q -o s.csv
"$ATTRIB" analyze s.csv --outcome sales --treat trained --covariates "prior_perf,engagement,tenure" --methods ols \
  --value-per-unit 100 --horizon 6 --cost-per-learner 100 --currency GBP --period quarter --format json -q >c.json
jq -c '.headline | {verdict, roi: .roi.is_finding, payback, horizon}' c.json
jq -r '.headline.text, (.quick_card[] | "card \(.key): \(.value) (\(.note))")' c.json
echo "markdown: $(grep -c '^## ' r.md) sections; headline = json text: $(sed 's/\\//g' r.md | grep -qF "$(jq -r .headline.text a.json)" && echo yes || echo no)"
# refused with the options field named; nothing written
e() { "$ATTRIB" analyze f.csv --outcome y --treat t --covariates x --methods ols "$@" -q -o out.txt 2>&1; echo "exit $?"; }
e --funnel "enrolled=enrolled,certified=certified,completed=completed"
e --funnel "signed=enrolled"
e --funnel "enrolled=nope"
e --funnel "enrolled=y"
e --period fortnight
e --currency "much too long"
e --currency --thousands ,
e --baseline nope
e --report-md /nonexistent/dir/r.md
[ -e out.txt ] && echo "output written" || echo "no output written"
# the SE column says what it holds: with a wild cluster bootstrap the OLS
# interval is the bootstrap's, its SE still the analytic CR1 one (the
# report labelled that SE "wild cluster bootstrap (studentized)")
"$ATTRIB" analyze "$S" --outcome sales --treat trained --covariates "prior_perf,tenure" --methods ols --cluster team \
  --bootstrap 99 --format json -q --report b.html >b.json
jq -c '.methods[0] | {se_method, std_error_kind, interval_method}' b.json
grep -o '<td class="words">cluster-robust (CR1)</td><td>[^<]*</td><td class="words">wild cluster bootstrap (studentized)</td>' b.html |
  sed 's/<td>[^<]*<\/td>/<td>INTERVAL<\/td>/'
# money on the page: currency and thousands separators, never 1042770.22
"$ATTRIB" analyze "$S" --outcome sales --treat trained --covariates "prior_perf,tenure" --methods ols --value-per-unit 1000 \
  --cost-per-learner 1000 --currency USD -q --report m.html >/dev/null
grep -o 'data-key="net_benefit" data-value="[^"]*">[^<]*<' m.html | sed 's/data-value="[^"]*"/data-value=V/'
echo "bare amounts with cents: $(grep -cE '>-?[0-9]{4,}\.[0-9]{2}<' m.html)"
# the text output: the headline in words, the funnel and the cohort lines
"$ATTRIB" analyze f.csv --outcome y --treat t --covariates x --methods ols --baseline pre \
  --funnel "enrolled=enrolled,completed=completed,certified=certified" -q | sed -n '/^In words/p;/^Funnel/,/^Business/p;/^Mean/,/^$/p'
# the same settings from a spec file (top-level keys; a [funnel] section is not read)
printf 'currency = EUR\nperiod = month\nkpi-unit = y per month\nfunnel = enrolled=enrolled,completed=completed\nbaseline = pre\nvalue-per-unit = 10\ncost-per-learner = 1\n' >s.ini
"$ATTRIB" analyze f.csv --outcome y --treat t --covariates x --methods ols --spec s.ini --format json -q |
  jq -c '{units, tiers: [.funnel.tiers[].n], lines: .cohort_lines.kind, net: .headline.net_benefit}'
# the user's words are escaped wherever the page shows them (a symbol on
# the axes, the unit in titles), and --report-pdf without Chromium names
# the command to run and writes nothing
"$ATTRIB" analyze f.csv --outcome y --treat t --covariates x --methods ols --value-per-unit 10 --cost-per-learner 1 \
  --currency '<&>' --kpi-unit '<script>x' --funnel 'enrolled=enrolled' -q --report e.html --report-md e.md >/dev/null
echo "raw: $(grep -c '<&>\|<script' e.html) lines; escaped currency: $(grep -o '&lt;&amp;&gt;' e.html | wc -l); markdown raw: $(grep -c '[^\\]<script' e.md)"
ATTRIB_CHROMIUM=/nonexistent "$ATTRIB" analyze f.csv --outcome y --treat t --covariates x --methods ols -q --report-pdf x.pdf \
  --report x.html -o x.txt; echo "exit $?; written: $(ls x.* 2>/dev/null | wc -l)"
