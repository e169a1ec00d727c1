#!/usr/bin/env bash
# Out of core (issue 19, docs/scale.md): ols --stream and did --stream against the in-memory fits
# on the same file, and the streamed fit of a gzip file.
#
#   benchmarks/stream.sh [ROWS] [--skip-memory] [--copies N]      (ROWS default 10000000)
#
# Data: attrib simulate --rows ROWS --teams 40000 --seed 1 into benchmarks/data/ (git-ignored),
# and a gzip -1 copy. Prints wall time, CPU time and peak RSS (GNU time) of each run, and whether
# the streamed JSON equals the in-memory JSON to a relative 1e-11 (build/tests/numdiff, when built;
# the "solver" and "streamed" lines aside). --skip-memory leaves out the in-memory runs (a file
# larger than memory: 100M rows need about 16 GB as a table). --copies N runs only the streamed
# iid fit of a gzip file holding the ROWS rows N times (concatenated gzip members, one header): the
# 100M-row run of benchmarks/README.md is `stream.sh 10000000 --copies 10`; its estimates must equal
# the ROWS-row fit's and its standard errors be sqrt(N) times smaller (times sqrt((N ROWS - k) / (N (ROWS - k))),
# the residual df's change), which the script prints.
set -euo pipefail
cd "$(dirname "$0")/.."
ATTRIB=${ATTRIB:-build/attrib}
NUMDIFF=${NUMDIFF:-build/tests/numdiff}
rows=10000000
memory=1
copies=1
want_copies=0
for a in "$@"; do
  if [ $want_copies = 1 ]; then copies=$a; want_copies=0; continue; fi
  case "$a" in
    --skip-memory) memory=0 ;;
    --copies) want_copies=1 ;;
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
if [ "$copies" -gt 1 ]; then
  big="benchmarks/data/stream_${rows}x$copies.csv.gz"
  [ -f "$big" ] || { cat "$f.gz"; for ((i = 2; i <= copies; i++)); do tail -n +2 "$f" | gzip -1; done; } > "$big"
  echo "ols --vcov iid --stream on $copies copies of the rows: $big, $(du -hL "$big" | cut -f1)"
  run "  --stream (gzip, $copies copies)" "$tmp/big.json" "$ATTRIB" ols "$big" --formula "$F" --vcov iid --format json --stream
  run "  --stream (gzip, one copy)" "$tmp/one.json" "$ATTRIB" ols "$f.gz" --formula "$F" --vcov iid --format json --stream
  if command -v jq >/dev/null; then # estimates equal, standard errors sqrt(copies) smaller
    jq -r '.coefficients[] | "\(.estimate) \(.std_error)"' "$tmp/big.json" > "$tmp/b"
    jq -r '.coefficients[] | "\(.estimate) \(.std_error)"' "$tmp/one.json" > "$tmp/o"
    paste -d' ' "$tmp/b" "$tmp/o" | awk -v c="$copies" '{ d = ($1 - $3) / ($4 > ($3 < 0 ? -$3 : $3) ? $4 : ($3 < 0 ? -$3 : $3));
      if (d < 0) d = -d; if (d > w) w = d; r = $4 / $2; if (r > rmax) rmax = r; if (rmin == "" || r < rmin) rmin = r }
      END { printf "  estimates: largest relative difference %.2g; standard errors %.6g to %.6g times smaller (sqrt(%d) = %.6g)\n", w, rmin, rmax, c, sqrt(c) }'
  fi
  exit 0
fi
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
