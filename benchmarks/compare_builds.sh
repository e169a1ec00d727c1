#!/usr/bin/env bash
# Two builds of attrib side by side on the same data, interleaved (this
# machine is noisy: compare the ratios within one run). Used for issue 13's
# "no slower" check (session 24: a49b719 against main; figures in README.md).
#   benchmarks/compare_builds.sh OLD_BIN NEW_BIN [REPS]
# Data: attrib simulate --rows 1000000 --seed 1 (cohort) and
# --design panel --rows 100000 --seed 1, made once in benchmarks/data/.
set -euo pipefail
old=$1 new=$2 reps=${3:-3}
dir=$(cd "$(dirname "$0")" && pwd)/data
mkdir -p "$dir"
[ -f "$dir/c1m.csv" ] || "$new" simulate --design cohort --rows 1000000 --seed 1 -o "$dir/c1m.csv" >/dev/null
[ -f "$dir/p100k.csv" ] || "$new" simulate --design panel --rows 100000 --seed 1 -o "$dir/p100k.csv" >/dev/null
run() { # bin name args...: prints name and wall seconds
  local bin=$1 name=$2; shift 2
  local t0; t0=$(date +%s.%N)
  "$bin" "$@" >/dev/null 2>&1 || { echo "$name FAILED"; return; }
  echo "$name $(echo "$(date +%s.%N) - $t0" | bc)"
}
cases() {
  local b=$1 c=$dir/c1m.csv p=$dir/p100k.csv
  run "$b" ols_fe_cl ols "$c" --formula "sales ~ trained + tenure + prior_perf | region + role" --vcov cluster --cluster team
  run "$b" psm psm "$c" --treat trained --outcome sales --covariates "tenure,prior_perf,engagement,age"
  run "$b" did_cs did "$p" --outcome sales --unit learner_id --time period --cohort cohort
  run "$b" ols_boot_cluster ols "$c" --formula "sales ~ trained + tenure | region + role" --vcov cluster --cluster team \
    --treat trained --bootstrap 99 --boot-type cluster --seed 1
  run "$b" ols_boot_wild ols "$c" --formula "sales ~ trained + tenure" --vcov cluster --cluster team --treat trained \
    --bootstrap 999 --boot-type wild --seed 1
  run "$b" logit_boot logit "$c" --formula "churned ~ trained + tenure + prior_perf" --treat trained --bootstrap 99 \
    --boot-type pairs --seed 1
}
for _ in $(seq "$reps"); do
  cases "$old" | sed 's/^/old /'
  cases "$new" | sed 's/^/new /'
done | sort -k2,2 -k1,1 | awk '{k = $1 " " $2; v[k] = v[k] " " $3} END {for (k in v) print k ":" v[k]}' | sort -k2
