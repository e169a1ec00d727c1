# The HTML report: one self-contained file (no script, no external link or
# font), every string from the command line and the data escaped (the data
# file's name here holds & < > and a quote), two inline SVG charts, and
# the headline numbers in data-value attributes equal to the JSON result.
# Six charts for a cross-section (methods, balance, overlap, waterfall, ROI
# by attribution, tornado).
cp "$DATA/../../../datasets/learners_sample.csv" "a&b<c>'d.csv"
"$ATTRIB" analyze "a&b<c>'d.csv" --outcome sales --treat trained --covariates "prior_perf,engagement,tenure,factor(role)" \
  --cluster team --learners 200 --value-per-unit 1000 --horizon 12 --attribution 0.7 --cost-per-learner 1000 \
  --format json --report r.html >a.json
echo "self-contained: $(grep -ciE '<script|<link|https?://|@import|url\(' r.html) external references or scripts"
echo "escaped file name: $(grep -c 'a&amp;b&lt;c&gt;&#39;d.csv' r.html) occurrences, raw: $(grep -c "a&b<c>" r.html)"
echo "charts: $(grep -c '<svg' r.html) inline SVG"
for k in roi_pct roi_ci_low_pct prob_roi_positive; do
  html=$(grep -o "data-key=\"$k\" data-value=\"[^\"]*\"" r.html | sed 's/.*data-value="\(.*\)"/\1/')
  json=$(jq ".roi.$k" a.json)
  awk -v k="$k" -v a="$html" -v b="$json" 'BEGIN { d = a - b; if (d < 0) d = -d; print k ": " (d <= 1e-9 * (1 + (b < 0 ? -b : b)) ? "page = json" : a " vs " b) }'
done
html=$(grep -o 'data-key="effect" data-value="[^"]*"' r.html | sed 's/.*data-value="\(.*\)"/\1/')
awk -v a="$html" -v b="$(jq '.methods[0].estimate' a.json)" 'BEGIN { d = a - b; if (d < 0) d = -d; print "effect: " (d <= 1e-12 ? "page = json" : a " vs " b) }'
for k in n_treated n_control; do
  grep -q "data-key=\"cohort_$k\" data-value=\"$(jq ".cohort.$k" a.json)\"" r.html && echo "cohort $k: page = json" || echo "cohort $k: missing"
done
grep -q "data-key=\"verdict\" data-value=\"$(jq -r .headline.verdict a.json)\"" r.html && echo "verdict: page = json" || echo "verdict: missing"
jq -r '.checks[] | "\(.name) \(.verdict)"' a.json | while read -r n v; do
  grep -q "data-key=\"check_$n\" data-value=\"$v\"" r.html && echo "check $n: page = json" || echo "check $n: missing"
done
# charts: effect by method, balance, score overlap, waterfall, ROI by
# attribution, tornado; a staggered panel has the event study and no
# balance or overlap (matching is skipped there). The verdict leads the
# summary; an inconclusive study shows its ROI as an estimate, not as the
# headline.
"$ATTRIB" analyze "$DATA/../../../datasets/panel_sample.csv" --outcome sales --treat treated --covariates "prior_perf,tenure" \
  --unit learner_id --time period --cohort cohort --learners 200 --value-per-unit 1000 --cost-per-learner 1000 \
  --report p.html -q --format json >p.json
grep -o 'class="headline[^"]*"><strong data-key="verdict" data-value="[a-z_]*"' p.html
# the honest parallel-trends section: the break-even in money, the JSON's number (issue 17)
html=$(grep -o 'data-key="breakeven_roi" data-value="[^"]*"' p.html | sed 's/.*data-value="\(.*\)"/\1/')
awk -v a="$html" -v b="$(jq .honest.breakeven_roi p.json)" 'BEGIN { d = a - b; if (d < 0) d = -d; print "breakeven_roi: " (a != "" && d <= 1e-12 ? "page = json" : a " vs " b) }'
grep -o 'The ROI stays positive unless post-rollout trends diverge by more than [0-9.]*x the worst pre-rollout divergence' p.html
echo "panel report: $(grep -c '<svg' p.html) inline SVG; sections: $(grep -o '<section id="[a-z-]*"' p.html | sed 's/.*id="\(.*\)"/\1/' | tr '\n' ' ')"
"$ATTRIB" analyze "a&b<c>'d.csv" --outcome sales --treat trained --covariates "prior_perf,engagement,tenure,factor(role)" \
  --value-per-unit 1 --cost-per-learner 0.7 --report i.html -q >/dev/null
grep -o '<p class="headline fail"><strong data-key="verdict" data-value="[a-z_]*">[A-Za-z]*</strong>' i.html
grep -o '<p>ROI estimate <span data-key="roi_pct"' i.html
