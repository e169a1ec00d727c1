#!/usr/bin/env bash
# The fits of issue 19's table (logit 25 coefficients, PSM 1:1 with its
# 24-term score model, OLS 26 coefficients + CR1 by team), two builds
# interleaved on the same file: per run the tool's own fit time (-v: "fit"
# for logit and ols, "estimate" for psm) and the whole process's CPU time
# (user + sys, GNU time), which a shared machine distorts less than wall
# time. Prints one line per build and case: the runs, then the medians.
#   benchmarks/fit_compare.sh OLD_BIN NEW_BIN [REPS] [ROWS]
# Data: attrib simulate --rows ROWS --teams 1000 --seed 1, as run.sh makes it.
set -euo pipefail
old=$1 new=$2 reps=${3:-3} rows=${4:-1000000}
dir=$(cd "$(dirname "$0")" && pwd)/data
mkdir -p "$dir"
f=$dir/cohort_$rows.csv
[ -f "$f" ] || "$new" simulate --rows "$rows" --teams 1000 --seed 1 -o "$f" --quiet
[ -x /usr/bin/time ] || { echo "needs GNU time (apt-get install time)"; exit 2; }
NUMERICS="tenure + age + education_years + prior_perf + engagement + manager_rating + quota + territory_size + calls_per_week + tickets + certifications + remote"
OLS_F="sales ~ trained + $NUMERICS + factor(role) + factor(region)"
LOGIT_F="trained ~ $NUMERICS + factor(role) + factor(region)"
PSM_COVS="${NUMERICS// + /,},factor(role),factor(region)"
tf=$(mktemp)
trap 'rm -f "$tf"' EXIT
one() { # label bin args...: "label fit cpu"
  local label=$1 bin=$2; shift 2
  local err fit
  err=$(/usr/bin/time -o "$tf" -f "%U %S" "$bin" "$@" -v 2>&1 >/dev/null) || { echo "$label FAILED"; return; }
  fit=$(echo "$err" | sed -n 's/.* fit \([0-9.]*\) s.*/\1/p; s/.*estimate \([0-9.]*\) s.*/\1/p' | tail -1)
  echo "$label $fit $(awk '{ printf "%.2f", $1 + $2 }' "$tf")"
}
cases() {
  local b=$1 tag=$2
  one "$tag logit" "$b" logit "$f" --formula "$LOGIT_F"
  one "$tag psm" "$b" psm "$f" --treat trained --outcome sales --covariates "$PSM_COVS" --caliper 0.2
  one "$tag ols_cr1" "$b" ols "$f" --formula "$OLS_F" --cluster team
}
for _ in $(seq "$reps"); do
  cases "$old" old
  cases "$new" new
done | awk '{ k = $2 " " $1; fit[k] = fit[k] " " $3; cpu[k] = cpu[k] " " $4 }
  function med(s,   a, n, i, j, t) { n = split(s, a, " "); for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++)
      if (a[j] + 0 < a[i] + 0) { t = a[i]; a[i] = a[j]; a[j] = t }
    return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2 }
  END { for (k in fit) printf "%-12s fit:%s (median %s s)  process cpu:%s (median %s s)\n", k, fit[k], med(fit[k]), cpu[k], med(cpu[k]) }' | sort
