#!/usr/bin/env bash
# No function in src/ over 150 lines without a reason (issue 13): a function
# body longer than LIMIT lines must have, among the comment lines right above
# its first line, one containing "long:" that says why it stays long.
# A function starts at a line that begins with a lower-case letter and holds
# a "(" without ending in ";" (the house style puts the return type and name
# at column 0), and ends at the next "}" in column 0.
# Prints every offender; exits 1 if there is one.
# Usage: scripts/check-function-length.sh [SOURCE_ROOT [LIMIT]]
set -u
root=${1:-$(cd "$(dirname "$0")/.." && pwd)}
limit=${2:-150}
bad=0
for f in "$root"/src/*/*.c; do
  out=$(awk -v F="${f#"$root"/}" -v LIMIT="$limit" '
    # "long:" in the comment block right above the signature (contiguous
    # comment lines, stopped by a blank or code line) marks a kept reason
    /^[a-z].*\(.*[^;]$/ { name = $0; start = NR; marked = (mark_line == NR - 1 && mark) }
    /^[ \t]*(\/\*|\*|\/\/)/ { if (mark_line != NR - 1) mark = 0; if ($0 ~ /long:/) mark = 1; mark_line = NR; next }
    { mark = 0 }
    /^}/ && start { len = NR - start; if (len > LIMIT && !marked) printf "%s:%d: %s: %d lines (over %d, no \"long:\" reason above)\n", F, start, substr(name, 1, 70), len, LIMIT; start = 0 }
  ' "$f")
  if [ -n "$out" ]; then echo "$out"; bad=1; fi
done
exit $bad
