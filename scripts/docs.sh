#!/usr/bin/env bash
# Regenerates the documentation's figures from the current binary (issue 20):
#   docs/report-onepager.png      the top of the report of the guide's step 6
#                                 (headless Chromium, 900 x 1250)
#   docs/report-onepager.numbers  every number and verdict that report marks
#                                 for machines (data-key / data-value), one
#                                 "key<TAB>value" a line
# The command is the guide's own: the sh block just above the image in
# docs/guide.md, run from the source tree (so the page names
# datasets/learners_sample.csv) with its --report* outputs sent to a
# temporary folder. Change the guide's command, and this script is what
# brings the figure in line.
#
# --check writes nothing: it makes the numbers from the current binary and
# compares them with the committed docs/report-onepager.numbers (numbers to
# a relative 1e-6, words exactly), and checks that the committed image is
# there at its size. It needs no Chromium: pixels differ between Chromium
# versions and fonts, the numbers do not (ctest docs.figures runs it).
#
# Usage: scripts/docs.sh [--check] [ATTRIB]   (ATTRIB: default build/attrib)
set -euo pipefail
check=0
if [ "${1:-}" = --check ]; then check=1; shift; fi
src=$(cd "$(dirname "$0")/.." && pwd)
attrib=$(realpath "${1:-$src/build/attrib}")
guide="$src/docs/guide.md" png="$src/docs/report-onepager.png" numbers="$src/docs/report-onepager.numbers"
width=900 height=1250
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# the guide's command: the last sh block before the image, lines joined
cmd=$(awk '/^```sh/ { inb = 1; b = ""; next } inb && /^```/ { inb = 0; last = b; next }
  inb { b = b $0 "\n" } /report-onepager\.png/ { print last; exit }' "$guide" |
  sed -e ':a' -e '/\\$/N; s/\\\n//; ta' | tr '\n' ' ')
[ -n "$cmd" ] || { echo "docs.sh: no sh block before report-onepager.png in docs/guide.md" >&2; exit 1; }
[[ $cmd == "build/attrib analyze "* ]] || { echo "docs.sh: the block before the image is not 'build/attrib analyze': $cmd" >&2; exit 1; }
cmd=$(sed -E 's/ --report(-md|-pdf)? [^ ]+//g' <<<"$cmd")
cmd="\"\$ATTRIB\" ${cmd#build/attrib } --report \"\$OUT/report.html\" -q --format json -o \"\$OUT/report.json\""
(cd "$src" && ATTRIB=$attrib OUT=$work bash -o pipefail -c "$cmd")

# the numbers: the page's data-key / data-value pairs, in page order
grep -o 'data-key="[^"]*" data-value="[^"]*"' "$work/report.html" |
  sed -E 's/data-key="([^"]*)" data-value="([^"]*)"/\1\t\2/' >"$work/numbers"
[ -s "$work/numbers" ] || { echo "docs.sh: the report marks no numbers (data-key)" >&2; exit 1; }

if [ $check = 1 ]; then
  fail=0
  [ -f "$numbers" ] || { echo "FAIL: docs/report-onepager.numbers is missing: run scripts/docs.sh"; exit 1; }
  awk -F'\t' 'NR == FNR { want[$1] = $2; order[++n] = $1; next }
    { got[$1] = $2; if (!($1 in want)) { print "FAIL: the report now marks " $1 " = " $2 ", not in docs/report-onepager.numbers"; bad = 1 } }
    END {
      for (i = 1; i <= n; i++) { k = order[i]; a = want[k]
        if (!(k in got)) { print "FAIL: " k " (committed " a ") is no longer in the report"; bad = 1; continue }
        b = got[k]
        num = a ~ /^-?[0-9.]+([eE][-+]?[0-9]+)?$/ && b ~ /^-?[0-9.]+([eE][-+]?[0-9]+)?$/
        if (num) { d = a - b; if (d < 0) d = -d; m = (a < 0 ? -a : a); ok = d <= 1e-6 * (m > 1 ? m : 1) }
        else ok = a == b
        if (!ok) { print "FAIL: " k ": committed " a ", the current binary gives " b; bad = 1 } }
      exit bad }' "$numbers" "$work/numbers" || fail=1
  if [ ! -f "$png" ]; then
    echo "FAIL: docs/report-onepager.png is missing"; fail=1
  else
    # the PNG header: width and height, big-endian, at bytes 17-24
    size=$(od -An -tu1 -j16 -N8 "$png" | awk '{ printf "%d %d", $1 * 16777216 + $2 * 65536 + $3 * 256 + $4, $5 * 16777216 + $6 * 65536 + $7 * 256 + $8 }')
    [ "$size" = "$width $height" ] || { echo "FAIL: docs/report-onepager.png is $size, not $width $height"; fail=1; }
  fi
  if [ $fail = 0 ]; then
    echo "docs.figures: the $(wc -l <"$work/numbers") numbers behind docs/report-onepager.png are what the current binary prints for the guide's command"
  else
    echo "(scripts/docs.sh regenerates the figure and its numbers from the current binary)"
  fi
  exit $fail
fi

chromium=${ATTRIB_CHROMIUM:-$(command -v chromium || command -v chromium-browser || true)}
[ -n "$chromium" ] || { echo "docs.sh: the screenshot needs Chromium (scripts/install-deps.sh --browser)" >&2; exit 1; }
timeout 120 "$chromium" --headless --no-sandbox --disable-gpu --disable-dev-shm-usage --no-first-run \
  --user-data-dir="$work/profile" --hide-scrollbars --window-size=$width,$height \
  --screenshot="$work/shot.png" "file://$work/report.html" >/dev/null 2>&1
[ -s "$work/shot.png" ] || { echo "docs.sh: Chromium wrote no screenshot" >&2; exit 1; }
cp "$work/shot.png" "$png"
cp "$work/numbers" "$numbers"
echo "docs.sh: wrote docs/report-onepager.png (${width}x$height) and docs/report-onepager.numbers ($(wc -l <"$numbers") numbers)"
