#!/usr/bin/env bash
# The analyze report in a real browser (headless Chromium), looked at as a
# person would (issue 16), for four studies: a cross-section (with the
# funnel, a baseline column and a second KPI), a staggered panel, a null effect and a
# failed overlap check. Each page loads without console errors; in the
# rendered DOM (tests/browser/layout.js, run in a copy of the page: the
# report itself has no script) every chart has axes with a title and tick
# labels, no two text boxes of a chart overlap and none leaves the chart
# (getBoundingClientRect), the headline's verdict and words equal the JSON,
# and the headline numbers equal the JSON. --report-pdf prints it; where
# pdftotext is installed (poppler-utils) no page ends with a section
# heading. Screenshots and PDFs are kept in the build folder's artifacts.
# Registered by tests/CMakeLists.txt only where chromium is installed
# (scripts/check.sh installs it). Usage: report.sh ATTRIB CHROMIUM SOURCE_DIR
set -u
attrib=$1 chromium=$2 src=$3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 1
art="${ATTRIB_ARTIFACTS:-$src/build/artifacts}"
mkdir -p "$art" 2>/dev/null
flags=(--headless --no-sandbox --disable-gpu --disable-dev-shm-usage --no-first-run --user-data-dir="$work/profile"
       --hide-scrollbars)
fail=0
S="$src/datasets/learners_sample.csv"
C="prior_perf,engagement,tenure,factor(role)"
# the cross-section: a pre-period KPI and the funnel's tiers made from the
# bundled data (columns: trained 17, training_hours 18, sales 19, remote 16)
awk -F, 'BEGIN { OFS = "," } NR == 1 { print $0, "pre_sales", "completed", "certified"; next }
  { print $0, sprintf("%.2f", $19 - 2 - 3 * $17 + (NR % 7) * 0.5), ($17 == 1 && $18 > 5) ? 1 : 0, ($17 == 1 && $18 > 15) ? 1 : 0 }' \
  "$S" >cross.csv
# the label layout's extreme inputs: a 30-character covariate name (null),
# a single method (the panel), equal low and high ROI in the tornado (the
# learners, with costs per learner only: every study)
"$attrib" simulate --rows 1500 --seed 11 --effect 0 -q -o null.csv
sed -i '1s/prior_perf/prior_performance_score_zscore/' null.csv
"$attrib" simulate --rows 1500 --seed 12 --selection 3 -q -o overlap.csv
roi=(--value-per-unit 1000 --horizon 12 --attribution 0.7 --cost-per-learner 1000 --currency USD --period month)
study() { # name, then analyze's arguments
  local name=$1
  shift
  "$attrib" analyze "$@" -q --format json --report "$name.html" --report-pdf "$name.pdf" >"$name.json" ||
    { echo "FAIL: $name: analyze failed"; fail=1; return 1; }
}
study cross cross.csv --outcome sales,churned --treat trained --covariates "$C" --cluster team --learners 200 "${roi[@]}" \
  --kpi-unit "sales per month" --baseline pre_sales --funnel "enrolled=trained,completed=completed,certified=certified"
study panel "$src/datasets/panel_sample.csv" --outcome sales --treat treated --covariates "prior_perf,tenure" \
  --unit learner_id --time period --cohort cohort --methods did "${roi[@]}"
study null null.csv --outcome sales --treat trained --covariates "${C/prior_perf/prior_performance_score_zscore}" "${roi[@]}"
study overlap overlap.csv --outcome sales --treat trained --covariates "$C" "${roi[@]}"
# the last line of each page (pages split at form feeds) when it is a section heading
orphaned_headings() {
  awk -v RS='\f' '{ n = split($0, l, "\n"); last = ""
    for (i = n; i > 0; i--) if (l[i] ~ /[^ ]/) { last = l[i]; break }
    if (last ~ /^ *(The cohort|Effect by method|Covariate balance and overlap|Event study|Return on investment|ROI by the share.*|Which assumption matters most|Scenarios|Sensitivity to hidden confounding|Sensitivity to parallel trends|Assumptions|From adoption to business impact|The KPI over time|Several KPIs) *$/)
      print "page " NR ": " last }'
}
unescape() { sed -e 's/&lt;/</g' -e 's/&gt;/>/g' -e 's/&quot;/"/g' -e "s/&#39;/'/g" -e 's/&amp;/\&/g'; }
for name in cross panel null overlap; do
  [ -s "$name.html" ] || continue
  # the page as written: no console errors
  timeout 120 "$chromium" "${flags[@]}" --enable-logging=stderr --v=0 --dump-dom "file://$work/$name.html" >dom.html \
    2>console.log
  [ -s dom.html ] || { echo "FAIL: $name: no DOM rendered"; tail -5 console.log; fail=1; continue; }
  if grep -E 'Uncaught|CONSOLE\(' console.log | grep -vi 'deprecat' >/dev/null; then
    echo "FAIL: $name: console errors"; grep -E 'Uncaught|CONSOLE\(' console.log | head -5; fail=1
  fi
  # the headline numbers in the DOM equal the JSON
  for k in roi_pct roi_ci_low_pct roi_ci_high_pct prob_roi_positive; do
    dom=$(grep -o "data-key=\"$k\" data-value=\"[^\"]*\"" dom.html | sed 's/.*data-value="\(.*\)"/\1/')
    json=$(jq ".roi.$k" "$name.json")
    awk -v a="$dom" -v b="$json" 'BEGIN { d = a - b; if (d < 0) d = -d; exit !(a != "" && d <= 1e-9 * (1 + (b < 0 ? -b : b))) }' ||
      { echo "FAIL: $name: $k in the DOM '$dom' vs json $json"; fail=1; }
  done
  # the cross-section's several KPIs (issue 18): the outcomes section's estimates and adjusted p-values are the JSON's
  if [ "$name" = cross ]; then
    grep -q '<section id="outcomes">' dom.html || { echo "FAIL: cross: no outcomes section"; fail=1; }
    for j in 0 1; do
      for k in "outcome_$j .effect.estimate" "outcome_p_holm_$j .effect.p_holm"; do
        set -- $k
        dom=$(grep -o "data-key=\"$1\" data-value=\"[^\"]*\"" dom.html | sed 's/.*data-value="\(.*\)"/\1/')
        json=$(jq ".outcomes[$j]$2" cross.json)
        awk -v a="$dom" -v b="$json" 'BEGIN { d = a - b; if (d < 0) d = -d; exit !(a != "" && d <= 1e-12 * (1 + (b < 0 ? -b : b))) }' ||
          { echo "FAIL: cross: $1 in the DOM '$dom' vs json $json"; fail=1; }
      done
    done
  fi
  # the panel: the honest parallel-trends break-even in money, the JSON's number in words (issue 17)
  if [ "$name" = panel ]; then
    dom=$(grep -o 'data-key="breakeven_roi" data-value="[^"]*"' dom.html | sed 's/.*data-value="\(.*\)"/\1/')
    json=$(jq .honest.breakeven_roi panel.json)
    awk -v a="$dom" -v b="$json" 'BEGIN { d = a - b; if (d < 0) d = -d; exit !(a != "" && d <= 1e-9 * (1 + b)) }' ||
      { echo "FAIL: panel: breakeven_roi in the DOM '$dom' vs json $json"; fail=1; }
    grep -q 'The ROI stays positive unless post-rollout trends diverge by more than' dom.html ||
      { echo "FAIL: panel: no honest parallel-trends sentence"; fail=1; }
  fi
  # the layout, in a copy of the page with the checking script
  sed '/<\/body>/d; /<\/html>/d' "$name.html" >check.html
  { echo '<script>'; cat "$src/tests/browser/layout.js"; echo '</script></body></html>'; } >>check.html
  timeout 120 "$chromium" "${flags[@]}" --window-size=1000,1400 --virtual-time-budget=5000 --dump-dom \
    "file://$work/check.html" >checked.html 2>/dev/null
  sed -n '/<pre id="layout-result">/,/<\/pre>/p' checked.html | sed 's/<[^>]*>//g' | unescape >result.txt
  grep -q '^layout: ' result.txt || { echo "FAIL: $name: the layout script did not run"; fail=1; continue; }
  grep '^FAIL' result.txt | head -10 | sed "s/^/$name: /"
  grep -q '^layout: ok' result.txt || fail=1
  verdict=$(sed -n 's/^verdict //p' result.txt)
  [ "$verdict" = "$(jq -r .headline.verdict "$name.json")" ] ||
    { echo "FAIL: $name: the page's verdict '$verdict' is not the JSON's"; fail=1; }
  [ "$(sed -n 's/^headline //p' result.txt)" = "$(jq -r .headline.text "$name.json")" ] ||
    { echo "FAIL: $name: the page's headline words are not the JSON's"; fail=1; }
  # a point ROI is never the finding of an inconclusive study
  if [ "$verdict" != clear ] && grep -q '<p class="headline">ROI ' "$name.html"; then
    echo "FAIL: $name: a bare ROI as the headline of a '$verdict' study"; fail=1
  fi
  echo "$name: verdict $verdict; $(sed -n 's/^charts //p' result.txt) charts with axes, ticks and no overlapping labels;" \
    "$(sed -n 's/^cards //p' result.txt) quick-card numbers"
  # the PDF: printed; no page ends with a heading (pdftotext, when installed)
  if [ ! -s "$name.pdf" ]; then
    echo "FAIL: $name: no PDF"; fail=1
  elif command -v pdftotext >/dev/null; then
    orphans=$(pdftotext -layout "$name.pdf" - | orphaned_headings)
    [ -z "$orphans" ] || { echo "FAIL: $name: a heading ends a page: $orphans"; fail=1; }
  else
    echo "$name: PDF printed ($(grep -c '/Type /Page$\|/Type /Page[^s]' "$name.pdf") pages); the orphaned-heading check needs pdftotext (poppler-utils)"
  fi
  timeout 120 "$chromium" "${flags[@]}" --screenshot="$work/$name.png" --window-size=1000,5200 "file://$work/$name.html" \
    >/dev/null 2>&1
  [ -s "$name.png" ] || { echo "FAIL: $name: no screenshot"; fail=1; }
  cp "$name.png" "$name.pdf" "$name.html" "$art/" 2>/dev/null
done
# without Chromium, --report-pdf says how to print, and writes nothing
ATTRIB_CHROMIUM=/nonexistent "$attrib" analyze overlap.csv --outcome sales --treat trained --covariates "$C" -q \
  --report-pdf none.pdf -o none.txt 2>err.txt
rc=$?
if [ $rc = 0 ] || [ -e none.pdf ] || [ -e none.txt ] || ! grep -q 'chromium --headless' err.txt; then
  echo "FAIL: --report-pdf without Chromium: exit $rc, $(cat err.txt)"; fail=1
fi
[ $fail = 0 ] && echo "browser: four studies render with labelled axes and ticks, no overlapping labels, the JSON's verdict," \
  "headline and numbers; PDFs printed; screenshots in $art"
exit $fail
