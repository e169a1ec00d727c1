#!/usr/bin/env bash
# attrib benchmarks, side by side with peers, in one run (absolute times
# drift on a shared machine: compare the ratios).
#
#   benchmarks/run.sh [SECTION ...] [--sizes 1m,10m] [--reps N]
#
# Sections: load (default). Data are generated with `attrib simulate` into
# benchmarks/data/ (git-ignored). Peers run only where installed:
# R data.table (r-cran-data.table), pandas (python3-pandas).
set -euo pipefail
cd "$(dirname "$0")/.."
ATTRIB=${ATTRIB:-build/attrib}
sizes=1m,10m
reps=5
sections=()
while [ $# -gt 0 ]; do
  case "$1" in
    --sizes) sizes=$2; shift 2 ;;
    --reps) reps=$2; shift 2 ;;
    *) sections+=("$1"); shift ;;
  esac
done
[ ${#sections[@]} -gt 0 ] || sections=(load)
[ -x "$ATTRIB" ] || { echo "build attrib first (bash scripts/build.sh)"; exit 2; }
[ -x /usr/bin/time ] || { echo "installing GNU time"; apt-get install -y -qq time >/dev/null; }
mkdir -p benchmarks/data

rows_of() { case "$1" in 1m) echo 1000000 ;; 10m) echo 10000000 ;; 100k) echo 100000 ;; *) echo "$1" ;; esac; }

dataset() { # dataset SIZE -> path of a cohort CSV with that many rows
  local f="benchmarks/data/cohort_$1.csv"
  [ -f "$f" ] || "$ATTRIB" simulate --rows "$(rows_of "$1")" --seed 1 -o "$f" --quiet
  echo "$f"
}

# measure LABEL CMD...: median wall time and peak RSS over $reps runs
measure() {
  local label=$1; shift
  local times=() rss=0 t m tf
  tf=$(mktemp)
  for _ in $(seq "$reps"); do
    /usr/bin/time -o "$tf" -f "%e %M" "$@" >/dev/null 2>&1 || { echo "  ($label failed)" >&2; rm -f "$tf"; return 0; }
    read -r t m < "$tf"
    times+=("$t")
    if [ "$m" -gt "$rss" ]; then rss=$m; fi
  done
  rm -f "$tf"
  local med
  med=$(printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  printf '%s\t%s\t%s\n' "$label" "$med" "$rss"
}

report() { # report FILE ROWS < lines of "label seconds rss_kb"
  local bytes rows=$2
  bytes=$(stat -c %s "$1")
  printf '  %-28s %9s %10s %12s %10s\n' tool "wall s" "MB/s" "rows/s" "peak MiB"
  while IFS=$'\t' read -r label s kb; do
    awk -v l="$label" -v s="$s" -v kb="$kb" -v b="$bytes" -v r="$rows" \
      'BEGIN { if (s <= 0) s = 0.005; printf "  %-28s %9.3f %10.0f %12.3g %10.0f\n", l, s, b/1e6/s, r/s, kb/1024 }'
  done
}

have_r_pkg() { command -v Rscript >/dev/null && Rscript -e "quit(status = !requireNamespace('$1', quietly = TRUE))" >/dev/null 2>&1; }
have_pandas() { /usr/bin/python3 -c 'import pandas' >/dev/null 2>&1; }

section_load() {
  echo "== load: read the CSV and summarise every column (whole process, median of $reps)"
  for size in ${sizes//,/ }; do
    local f rows
    f=$(dataset "$size")
    rows=$(rows_of "$size")
    echo "-- $f: $rows rows x 20 columns, $(du -m "$f" | cut -f1) MB"
    {
      measure "wc -l (I/O floor)" wc -l "$f"
      measure "attrib describe" "$ATTRIB" describe "$f"
      if have_r_pkg data.table; then
        measure "R data.table::fread" Rscript -e "invisible(data.table::fread('$f', nThread = 2))"
      else echo "  (R data.table not installed: apt-get install r-cran-data.table)" >&2; fi
      if have_pandas; then
        measure "pandas.read_csv" /usr/bin/python3 -c "import pandas; pandas.read_csv('$f')"
      else echo "  (pandas not installed: apt-get install python3-pandas)" >&2; fi
    } | report "$f" "$rows"
  done
}

for s in "${sections[@]}"; do "section_$s"; done
