#!/usr/bin/env bash
# The analyze report in a real browser (headless Chromium): it loads without
# console errors, the rendered DOM holds the headline numbers equal to the
# JSON result, and a screenshot is saved. Registered by tests/CMakeLists.txt
# only where chromium is installed (scripts/check.sh installs it).
# Usage: report.sh ATTRIB CHROMIUM SOURCE_DIR
set -u
attrib=$1 chromium=$2 src=$3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 1
"$attrib" analyze "$src/datasets/learners_sample.csv" --outcome sales --treat trained \
  --covariates "prior_perf,engagement,tenure,factor(role)" --cluster team --learners 200 --value-per-unit 1000 \
  --horizon 12 --attribution 0.7 --cost-per-learner 1000 --format json --report r.html >a.json || exit 1
flags=(--headless --no-sandbox --disable-gpu --disable-dev-shm-usage --no-first-run --user-data-dir="$work/profile")
timeout 120 "$chromium" "${flags[@]}" --enable-logging=stderr --v=0 --dump-dom "file://$work/r.html" >dom.html 2>console.log
[ -s dom.html ] || { echo "FAIL: no DOM rendered"; cat console.log | tail -5; exit 1; }
if grep -E 'Uncaught|CONSOLE\(' console.log | grep -vi 'deprecat' >/dev/null; then
  echo "FAIL: console errors"; grep -E 'Uncaught|CONSOLE\(' console.log | head -5; exit 1
fi
fail=0
for k in roi_pct roi_ci_low_pct roi_ci_high_pct prob_roi_positive; do
  dom=$(grep -o "data-key=\"$k\" data-value=\"[^\"]*\"" dom.html | sed 's/.*data-value="\(.*\)"/\1/')
  json=$(jq ".roi.$k" a.json)
  awk -v a="$dom" -v b="$json" 'BEGIN { d = a - b; if (d < 0) d = -d; exit !(a != "" && d <= 1e-9 * (1 + (b < 0 ? -b : b))) }' ||
    { echo "FAIL: $k in the DOM '$dom' vs json $json"; fail=1; }
done
timeout 120 "$chromium" "${flags[@]}" --screenshot="$work/report.png" --window-size=1000,2400 "file://$work/r.html" \
  >/dev/null 2>&1
[ -s report.png ] || { echo "FAIL: no screenshot"; fail=1; }
mkdir -p "${ATTRIB_ARTIFACTS:-$src/build/artifacts}" 2>/dev/null && cp report.png "${ATTRIB_ARTIFACTS:-$src/build/artifacts}/report.png" 2>/dev/null
[ $fail = 0 ] && echo "browser: the report loads without console errors, its DOM equals the JSON, screenshot saved"
exit $fail
