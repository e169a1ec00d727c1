#!/usr/bin/env bash
# Issue 19's load measurement: two attrib builds and data.table::fread
# (2 threads) on the same CSV, interleaved (old, new, fread, old, new, ...),
# each run after IDLE seconds of quiet so that every run meets memory in the
# same state: this machine's guest reports free memory to its host after
# about 2 s, and a run right after another process freed memory first-touches
# it several times faster (benchmarks/README.md, "issue 19: load").
#   benchmarks/load_compare.sh OLD_BIN NEW_BIN FILE [REPS [IDLE]]
# Prints one line per run and then, per tool, the medians of wall, user and
# system seconds and minor faults, and the largest peak RSS; the machine's
# own speed (machine_probe.c) before and after.
set -euo pipefail
old=$1 new=$2 f=$3 reps=${4:-3} idle=${5:-5}
cd "$(dirname "$0")/.."
probe=benchmarks/out/machine_probe
mkdir -p benchmarks/out
[ -x "$probe" ] && [ "$probe" -nt benchmarks/machine_probe.c ] || ${CC:-cc} -O2 -o "$probe" benchmarks/machine_probe.c
echo "# $(date -u '+%Y-%m-%d %H:%M UTC') $f ($(du -mL "$f" | cut -f1) MB), reps $reps, idle $idle s"
echo "# machine: $("$probe")"
tf=$(mktemp)
runs=$(mktemp)
one() { # one LABEL CMD...
  local label=$1; shift
  sleep "$idle"
  /usr/bin/time -o "$tf" -f "%e %U %S %M %R" "$@" >/dev/null 2>&1 || { echo "$label FAILED" >&2; return; }
  echo "$label $(cat "$tf")" | tee -a "$runs"
}
for _ in $(seq "$reps"); do
  one old "$old" describe "$f"
  one new "$new" describe "$f"
  one fread Rscript -e "invisible(data.table::fread('$f', nThread = 2))"
done
echo "# machine: $("$probe")"
printf '# %-6s %8s %8s %8s %10s %9s\n' tool wall user sys "peak MiB" faults
for t in old new fread; do
  awk -v t="$t" '$1 == t { n++; w[n] = $2; u[n] = $3; s[n] = $4; f[n] = $6; if ($5 > m) m = $5 }
    function med(a,   i, j, x) { for (i = 2; i <= n; i++) { x = a[i]; for (j = i - 1; j >= 1 && a[j] > x; j--) a[j + 1] = a[j]; a[j + 1] = x } return a[int((n + 1) / 2)] }
    END { if (n) printf "  %-6s %8.2f %8.2f %8.2f %10.0f %9d\n", t, med(w), med(u), med(s), m / 1024, med(f) }' "$runs"
done
rm -f "$tf" "$runs"
