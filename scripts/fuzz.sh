#!/usr/bin/env bash
# Fuzzing campaigns for the libFuzzer targets of tests/fuzz (README there).
#
#   scripts/fuzz.sh [SECONDS] [options] [TARGET...]
#
# Runs each target (default: all of csv formula spec number) for SECONDS
# (default 600) of wall time, one after the other, under nice -n 19, with
# ASan and UBSan. A campaign resumes from where the last one stopped: the
# working corpus build-fuzz/corpus/<target> persists, and the committed
# corpus tests/fuzz/corpus/<target> is read too. At the end of each target:
#   - inputs that add coverage edges are merged into tests/fuzz/corpus/<target>
#     (libFuzzer -merge=1 -use_counters=0: the committed corpus stays small);
#     commit them;
#   - a line with the CPU time, executions, coverage (cov: edges, ft:
#     features) and findings is appended to the campaign log in
#     tests/fuzz/README.md;
#   - findings (crash-, timeout-, leak-, oom- files) are kept in
#     build-fuzz/findings/<target>/ and listed; the script then exits 1.
#
# Options:
#   --no-merge   leave tests/fuzz/corpus alone
#   --no-log     do not append to tests/fuzz/README.md
#   --seed N     libFuzzer's -seed (default: random)
#   --jobs N     parallel fuzzing processes per target (default 1; the lead's
#                long campaigns on a dedicated machine may use more)
#
# The long campaign (10+ CPU-hours per target) is, for example:
#   scripts/fuzz.sh 36000 csv; scripts/fuzz.sh 36000 formula; ...
# CI runs a 30-second smoke per target without merging or logging
# (scripts/check.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

secs=600
merge=1
log=1
seed=""
jobs=1
targets=()
while [ $# -gt 0 ]; do
  case "$1" in
  --no-merge) merge=0 ;;
  --no-log) log=0 ;;
  --seed) seed="-seed=$2"; shift ;;
  --jobs) jobs=$2; shift ;;
  [0-9]*) secs=$1 ;;
  csv | formula | spec | number) targets+=("$1") ;;
  *) echo "fuzz.sh: unknown argument '$1' (see the comment at the top)" >&2; exit 2 ;;
  esac
  shift
done
[ ${#targets[@]} -gt 0 ] || targets=(csv formula spec number)

command -v clang >/dev/null || bash scripts/install-deps.sh --fuzz
export OPENBLAS_NUM_THREADS=1
build=build-fuzz
CC=clang cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DATTRIB_FUZZ=ON \
  -DATTRIB_BUILD_BENCHMARKS=OFF >/dev/null
fuzzers=()
for t in "${targets[@]}"; do fuzzers+=("fuzz_$t"); done
nice -n 19 cmake --build "$build" -j2 --target "${fuzzers[@]}" >/dev/null

# per target: the largest input it takes (the first byte of csv and
# formula inputs picks a mode)
max_len() { case "$1" in csv) echo 16384 ;; formula) echo 2048 ;; spec) echo 8192 ;; number) echo 400 ;; esac; }

status=0
commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
for t in "${targets[@]}"; do
  work="$build/corpus/$t"
  found="$build/findings/$t"
  mkdir -p "$work" "$found"
  logf="$build/fuzz_$t.log"
  echo "== fuzz_$t for ${secs}s (corpus: $(ls "$work" | wc -l) working + $(ls tests/fuzz/corpus/$t | wc -l) committed)"
  t0=$(date +%s)
  set +e
  # -jobs makes libFuzzer fork workers that log to fuzz-N.log in the
  # current folder: only for --jobs above 1, run from the build folder
  par=()
  [ "$jobs" -gt 1 ] && par=(-jobs="$jobs" -workers="$jobs")
  # ASan's leak check runs at exit and after each input libFuzzer flags
  (cd "$build" && ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=1 \
    UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    /usr/bin/time -o "$root/$build/time_$t" -f "%e %U %S" nice -n 19 "$root/$build/tests/fuzz/fuzz_$t" \
    "$root/$work" "$root/tests/fuzz/corpus/$t" -max_total_time="$secs" -timeout=20 -rss_limit_mb=2048 \
    -max_len="$(max_len "$t")" -artifact_prefix="$root/$found/" -print_final_stats=1 "${par[@]}" $seed) >"$logf" 2>&1
  rc=$?
  set -e
  if [ "$jobs" -gt 1 ]; then cat "$build"/fuzz-*.log >>"$logf" 2>/dev/null || true; rm -f "$build"/fuzz-*.log; fi
  wall=$(($(date +%s) - t0))
  last=$(grep -E '^#[0-9]+' "$logf" | tail -1 || true)
  execs=$( (grep -E 'stat::number_of_executed_units' "$logf" || true) | awk '{ s += $2 } END { print s + 0 }')
  cov=$(echo "$last" | sed -nE 's/.* cov: ([0-9]+).*/\1/p')
  ft=$(echo "$last" | sed -nE 's/.* ft: ([0-9]+).*/\1/p')
  corp=$(echo "$last" | sed -nE 's/.* corp: ([0-9]+)\/.*/\1/p')
  findings=$(ls "$found" | grep -cE '^(crash|timeout|leak|oom|slow-unit)-' || true)
  # CPU time as measured (user + system): on a shared machine under nice it
  # is less than the wall time
  cpu_h=$( (tail -1 "$build/time_$t" 2>/dev/null || true) | awk '{ printf "%.3f", ($2 + $3) / 3600 }')
  echo "   ${wall}s wall, ${cpu_h} CPU-hours, ${execs} executions, cov ${cov:-?} ft ${ft:-?}, corpus ${corp:-?}, findings ${findings} (exit ${rc})"
  if [ "$findings" -gt 0 ] || [ "$rc" -ne 0 ]; then
    status=1
    echo "   findings in $found (log: $logf):"
    ls "$found" | sed 's/^/     /'
    grep -E 'ERROR|SUMMARY|fuzz check failed' "$logf" | head -5 | sed 's/^/     /'
  fi
  if [ "$merge" = 1 ]; then
    before=$(ls "tests/fuzz/corpus/$t" | wc -l)
    # edges only (-use_counters=0): the committed corpus keeps one input per
    # new edge, a fifth of what the feature-complete working corpus holds
    nice -n 19 "$build/tests/fuzz/fuzz_$t" -merge=1 -use_counters=0 -max_len="$(max_len "$t")" -timeout=20 \
      -rss_limit_mb=2048 "tests/fuzz/corpus/$t" "$work" >"$build/merge_$t.log" 2>&1 || true
    echo "   merged into tests/fuzz/corpus/$t: $before -> $(ls "tests/fuzz/corpus/$t" | wc -l) files"
  fi
  if [ "$log" = 1 ]; then
    printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s |\n' "$(date -u +%Y-%m-%d)" "$t" "$cpu_h" "$execs" \
      "${cov:-?}" "${ft:-?}" "${corp:-?}" "$findings" "$commit" >>tests/fuzz/README.md
  fi
done
exit $status
