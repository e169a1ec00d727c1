#!/usr/bin/env bash
# Out of core (issue 19, docs/scale.md): ols --stream and did --stream against the in-memory fits
# on the same file, and the streamed fit of a gzip file.
#
#   benchmarks/stream.sh [ROWS] [--skip-memory]      (ROWS default 10000000)
#
# Data: attrib simulate --rows ROWS --teams 40000 --seed 1 into benchmarks/data/ (git-ignored),
# and a gzip -1 copy. Prints wall time, CPU time and peak RSS (GNU time) of each run, and whether
# the streamed JSON equals the in-memory JSON to a relative 1e-11 (build/tests/numdiff, when built;
# the "solver" and "streamed" lines aside). --skip-memory leaves out the in-memory runs (a file
# larger than memory: 100M rows need about 16 GB as a table).
set -euo pipefail
cd "$(dirname "$0")/.."
ATTRIB=${ATTRIB:-build/attrib}
NUMDIFF=${NUMDIFF:-build/tests/numdiff}
rows=10000000
memory=1
for a in "$@"; do
  case "$a" in
    --skip-memory) memory=0 ;;
    *) rows=$a ;;
  esac
done
[ -x "$ATTRIB" ] || { echo "build attrib first"; exit 2; }
[ -x /usr/bin/time ] || { echo "installing GNU time"; apt-get install -y -qq time >/dev/null; }
mkdir -p benchmarks/data
f="benchmarks/data/stream_$rows.csv"
[ -f "$f" ] || "$ATTRIB" simulate --rows "$rows" --teams 40000 --seed 1 -o "$f" --quiet
[ -f "$f.gz" ] || gzip -1 -c "$f" > "$f.gz"
F="sales ~ trained + tenure + prior_perf + engagement + calls_per_week + factor(role) + factor(region)"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
echo "load: $(cut -d' ' -f1-3 /proc/loadavg) ($(nproc) CPUs); $f: $(du -hL "$f" | cut -f1), gzip $(du -hL "$f.gz" | cut -f1)"
run() { # run LABEL OUT CMD...
  local label=$1 out=$2; shift 2
  /usr/bin/time -f "%e %U %S %M" -o "$tmp/time" "$@" > "$out" 2>/dev/null
  read -r wall user sys rss < "$tmp/time"
  awk -v l="$label" -v w="$wall" -v u="$user" -v s="$sys" -v m="$rss" \
    'BEGIN { printf "%-44s %8.1f s wall %8.1f s CPU %8.0f MiB peak RSS\n", l, w, u + s, m / 1024 }'
}
same() { # same A B: the JSON of two runs, numbers to 1e-11
  if [ -x "$NUMDIFF" ]; then
    grep -v '"solver"\|"streamed"' "$1" | sed 's/\.csv\.gz"/.csv"/' > "$tmp/a"
    grep -v '"solver"\|"streamed"' "$2" | sed 's/\.csv\.gz"/.csv"/' > "$tmp/b"
    if "$NUMDIFF" "$tmp/a" "$tmp/b" 2>"$tmp/why"; then echo "  same numbers (relative 1e-11)"; else echo "  numbers differ beyond 1e-11: $(tr '\n' ' ' < "$tmp/why")"; fi
  fi
}
for v in "--vcov iid" "--cluster team"; do
  echo "ols $v: $F"
  [ $memory = 0 ] || run "  in memory" "$tmp/mem.json" "$ATTRIB" ols "$f" --formula "$F" $v --format json
  run "  --stream (plain)" "$tmp/st.json" "$ATTRIB" ols "$f" --formula "$F" $v --format json --stream
  [ $memory = 0 ] || same "$tmp/mem.json" "$tmp/st.json"
  run "  --stream (gzip)" "$tmp/stgz.json" "$ATTRIB" ols "$f.gz" --formula "$F" $v --format json --stream
  [ $memory = 0 ] || same "$tmp/mem.json" "$tmp/stgz.json"
done
echo "did 2x2: --treat trained --post remote --cluster team"
[ $memory = 0 ] || run "  in memory" "$tmp/mem.json" "$ATTRIB" did "$f" --outcome sales --treat trained --post remote --cluster team --format json
run "  --stream (plain)" "$tmp/st.json" "$ATTRIB" did "$f" --outcome sales --treat trained --post remote --cluster team --format json --stream
[ $memory = 0 ] || same "$tmp/mem.json" "$tmp/st.json"
