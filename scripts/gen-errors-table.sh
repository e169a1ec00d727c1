#!/usr/bin/env bash
# Writes the bad-input catalogue's summary table into docs/errors.md, between
#   <!-- bad-input catalogue: begin (scripts/gen-errors-table.sh) -->
#   <!-- bad-input catalogue: end -->
# from the golden cases in tests/cli/bad/: one row per case with its class
# (the case's first line, "# class: <class>; <what it feeds>"), its name, its
# exit status (<case>.exit; none = 0) and the first line of <case>.stderr.
# When docs/errors.md has no markers yet, a section "## The bad-input
# catalogue" holding them is appended at its end.
#
#   scripts/gen-errors-table.sh           rewrite docs/errors.md
#   scripts/gen-errors-table.sh --check   exit 1 (and say so) when docs/errors.md
#                                         is not what this script would write
set -euo pipefail
export LC_ALL=C

check=0
case "${1:-}" in
  "") ;;
  --check) check=1 ;;
  -h | --help) sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
  *) echo "gen-errors-table.sh: unknown argument '$1' (expected --check)" >&2; exit 2 ;;
esac

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cases=$root/tests/cli/bad
doc=$root/docs/errors.md
begin='<!-- bad-input catalogue: begin (scripts/gen-errors-table.sh) -->'
end='<!-- bad-input catalogue: end -->'

[ -f "$doc" ] || { echo "gen-errors-table.sh: $doc: no such file" >&2; exit 1; }
shopt -s nullglob
scripts=("$cases"/*.sh)
[ ${#scripts[@]} -gt 0 ] || { echo "gen-errors-table.sh: no cases in $cases" >&2; exit 1; }

# A table cell: '|' escaped; the text in a code span (a longer backtick fence
# when it holds backticks) so that '<stdin>' and '*' are shown as written.
cell() {
  local s=${1//|/\\|}
  # shellcheck disable=SC2016 # the backticks are markdown, not shell
  if [[ $s == *'`'* ]]; then printf '`` %s ``' "$s"; else printf '`%s`' "$s"; fi
}

rows=$(mktemp)
new=$(mktemp)
block=$(mktemp)
trap 'rm -f "$rows" "$new" "$block"' EXIT
for script in "${scripts[@]}"; do
  name=$(basename "$script" .sh)
  first=$(head -n 1 "$script")
  if [[ $first != '# class: '*';'* ]]; then
    echo "gen-errors-table.sh: $script: line 1 must be '# class: <class>; <what it feeds and what must happen>'" >&2
    exit 1
  fi
  class=${first#'# class: '}
  class=${class%%;*}
  code=0
  [ -f "$cases/$name.exit" ] && code=$(head -n 1 "$cases/$name.exit")
  message='(none: a correct success)'
  if [ -s "$cases/$name.stderr" ]; then
    message=$(cell "$(head -n 1 "$cases/$name.stderr")")
  elif [ "$code" != 0 ]; then
    message='(nothing on standard error)'
  fi
  printf '%s\t%s\t%s\t%s\n' "$class" "$name" "$code" "$message" >>"$rows"
done

n_cases=$(wc -l <"$rows")
n_classes=$(cut -f1 "$rows" | sort -u | wc -l)
count() { awk -F'\t' -v c="$1" '$3 == c' "$rows" | wc -l; }
n1=$(count 1)
n2=$(count 2)
n0=$(count 0)

table() {
  echo "$begin"
  echo
  echo "$n_cases cases in $n_classes classes: $n1 data errors (exit 1), $n2 usage errors (exit 2) and $n0 correct successes (exit 0)."
  echo
  echo "| class | case | exit | message |"
  echo "|---|---|---|---|"
  sort -t "$(printf '\t')" -k1,1 -k2,2 "$rows" | awk -F'\t' '{ printf "| %s | %s | %s | %s |\n", $1, $2, $3, $4 }'
  echo
  echo "$end"
}

if grep -qxF "$begin" "$doc" && grep -qxF "$end" "$doc"; then
  # replace what lies between the markers (the markers included)
  table >"$block"
  awk -v begin="$begin" -v end="$end" -v blockfile="$block" '
    $0 == begin { while ((getline line < blockfile) > 0) print line; skip = 1; next }
    $0 == end { skip = 0; next }
    !skip { print }' "$doc" >"$new"
else
  {
    cat "$doc"
    [ -z "$(tail -c 1 "$doc")" ] || echo
    echo
    echo "## The bad-input catalogue"
    echo
    echo "\`tests/cli/bad/\` holds one golden CLI case per malformed or hostile input (issue 15): ragged rows, broken"
    echo "quotes and encodings, impossible numbers, truncated gzip, unreadable inputs, missing columns behind every"
    echo "flag, formula syntax and limits, degenerate designs, out-of-range options and spec files. Each case checks"
    echo "the exact one-line message, the exit status (1 for data errors, 2 for usage errors, 0 for a correct"
    echo "success), that no output file is left behind, and runs under a 60 s limit. The table is generated from"
    echo "the cases by \`scripts/gen-errors-table.sh\` (\`--check\` tells whether it is current; \`cli.main.errors_table\`"
    echo "runs it)."
    echo
    table
  } >"$new"
fi

if [ "$check" = 1 ]; then
  if cmp -s "$new" "$doc"; then
    exit 0
  fi
  echo "gen-errors-table.sh: docs/errors.md is not current with tests/cli/bad: run scripts/gen-errors-table.sh" >&2
  diff -u "$doc" "$new" | head -n 40 >&2 || true
  exit 1
fi
cmp -s "$new" "$doc" || cat "$new" >"$doc"
