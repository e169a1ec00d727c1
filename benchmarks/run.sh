#!/usr/bin/env bash
# attrib benchmarks, side by side with peers, in one run (absolute times
# drift on a shared machine: compare the ratios).
#
#   benchmarks/run.sh [SECTION ...] [--sizes 1m,10m] [--reps N]
#
# Sections: load (default), ols, ols_fe, logit, psm, did, boot (ending with
# boot_clusters, also a section alone), sweep, analyze. Data are generated with
# `attrib simulate` into benchmarks/data/ (git-ignored). Peers run only where
# installed: R data.table (r-cran-data.table), sandwich (r-cran-sandwich),
# pandas and statsmodels (python3-pandas, python3-statsmodels).
# Fit-only times come from each tool's own clock (attrib -v, R system.time,
# Python time.perf_counter) and are printed beside the whole-process times.
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
mkdir -p benchmarks/data benchmarks/out

# The machine's own speed, printed in the header and under every table
# (benchmarks/machine_probe.c: memory copy GB/s, one fixed scalar step in ns,
# first touch of fresh memory GB/s, load average), so that a slow or busy
# shared machine is visible beside the figures it slowed.
PROBE=benchmarks/out/machine_probe
if [ ! -x "$PROBE" ] || [ benchmarks/machine_probe.c -nt "$PROBE" ]; then
  ${CC:-cc} -O2 -o "$PROBE" benchmarks/machine_probe.c 2>/dev/null || PROBE=
fi
machine() { if [ -n "$PROBE" ]; then echo "  machine now: $("$PROBE")"; else echo "  machine now: (no C compiler for benchmarks/machine_probe.c)"; fi; }
echo "== $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) CPUs, $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)"
machine

rows_of() { case "$1" in 1m) echo 1000000 ;; 10m) echo 10000000 ;; 100k) echo 100000 ;; *) echo "$1" ;; esac; }

dataset() { # dataset SIZE -> path of a cohort CSV with that many rows, 1000 teams
  local f="benchmarks/data/cohort_$1.csv"
  [ -f "$f" ] || "$ATTRIB" simulate --rows "$(rows_of "$1")" --teams 1000 --seed 1 -o "$f" --quiet
  echo "$f"
}

panel() { # panel LEARNERS PERIODS -> staggered panel CSV
  local f="benchmarks/data/panel_$1x$2.csv"
  [ -f "$f" ] || "$ATTRIB" simulate --design panel --rows "$1" --periods "$2" --seed 1 -o "$f" --quiet
  echo "$f"
}

# The model of docs/performance.md: intercept, trained, 12 numerics, role
# and region dummies = 26 coefficients; clustered by team (1000 clusters).
NUMERICS="tenure + age + education_years + prior_perf + engagement + manager_rating + quota + territory_size + calls_per_week + tickets + certifications + remote"
OLS_F="sales ~ trained + $NUMERICS + factor(role) + factor(region)"
LOGIT_F="trained ~ $NUMERICS + factor(role) + factor(region)"

# measure LABEL CMD...: medians over $reps runs of wall, user and system
# time and minor page faults, and the largest peak RSS. System time and
# faults (fresh memory) barely move with the machine's load; wall does.
measure() {
  local label=$1; shift
  local rows=() rss=0 t u k m f tf
  tf=$(mktemp)
  for _ in $(seq "$reps"); do
    /usr/bin/time -o "$tf" -f "%e %U %S %M %R" "$@" >/dev/null 2>&1 || { echo "  ($label failed)" >&2; rm -f "$tf"; return 0; }
    read -r t u k m f < "$tf"
    rows+=("$t $u $k $f")
    if [ "$m" -gt "$rss" ]; then rss=$m; fi
  done
  rm -f "$tf"
  local med=()
  for col in 1 2 3 4; do
    med+=("$(printf '%s\n' "${rows[@]}" | awk -v c=$col '{print $c}' | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')")
  done
  printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$label" "${med[0]}" "$rss" "${med[1]}" "${med[2]}" "${med[3]}"
}

report() { # report FILE ROWS < lines of "label seconds rss_kb user sys faults"
  local bytes rows=$2
  bytes=$(stat -c %s "$1")
  printf '  %-28s %9s %10s %12s %10s %7s %7s %9s\n' tool "wall s" "MB/s" "rows/s" "peak MiB" "user s" "sys s" "faults"
  while IFS=$'\t' read -r label s kb u k f; do
    awk -v l="$label" -v s="$s" -v kb="$kb" -v b="$bytes" -v r="$rows" -v u="$u" -v k="$k" -v f="$f" \
      'BEGIN { if (s <= 0) s = 0.005; printf "  %-28s %9.3f %10.0f %12.3g %10.0f %7.2f %7.2f %9d\n", l, s, b/1e6/s, r/s, kb/1024, u, k, f }'
  done
  machine
}

have_r_pkg() { command -v Rscript >/dev/null && Rscript -e "quit(status = !requireNamespace('$1', quietly = TRUE))" >/dev/null 2>&1; }
have_pandas() { /usr/bin/python3 -c 'import pandas' >/dev/null 2>&1; }

section_load() {
  echo "== load: read the CSV and summarise every column (whole process, median of $reps)"
  for size in ${sizes//,/ }; do
    local f rows
    f=$(dataset "$size")
    rows=$(rows_of "$size")
    echo "-- $f: $rows rows x 20 columns, $(du -mL "$f" | cut -f1) MB"
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

# fit-only seconds of one run of a command that prints them on stderr/stdout
fit_time() { "$@" 2>&1 >/dev/null | sed -n 's/.*fit \([0-9.]*\) s.*/\1/p' | tail -1; }

section_ols() {
  echo "== ols: $OLS_F, CR1 by team (whole process median of $reps; fit-only from the tool's own clock)"
  for size in ${sizes//,/ }; do
    local f rows
    f=$(dataset "$size")
    rows=$(rows_of "$size")
    echo "-- $f: $rows rows"
    echo "   attrib fit-only: $(fit_time "$ATTRIB" ols "$f" --formula "$OLS_F" --cluster team -v) s"
    {
      measure "attrib ols --cluster team" "$ATTRIB" ols "$f" --formula "$OLS_F" --cluster team
      if [ "$rows" -le 1000000 ] && have_r_pkg sandwich && have_r_pkg data.table; then
        measure "R lm + sandwich::vcovCL" Rscript -e "d <- data.table::fread('$f'); m <- lm($OLS_F, d); v <- sandwich::vcovCL(m, cluster = ~team)"
      fi
      if [ "$rows" -le 1000000 ] && /usr/bin/python3 -c 'import statsmodels' 2>/dev/null; then
        measure "statsmodels OLS cluster" /usr/bin/python3 -c "import pandas as pd, statsmodels.formula.api as smf; d = pd.read_csv('$f'); smf.ols('${OLS_F//factor(/C(}', d).fit(cov_type='cluster', cov_kwds={'groups': d['team']})"
      fi
    } | report "$f" "$rows"
    if [ "$rows" -le 1000000 ] && have_r_pkg sandwich && have_r_pkg data.table; then
      echo "   R fit-only (lm + vcovCL, after fread): $(Rscript -e "d <- data.table::fread('$f'); cat(system.time({m <- lm($OLS_F, d); v <- sandwich::vcovCL(m, cluster = ~team)})[['elapsed']])") s"
    fi
  done
}

section_ols_fe() {
  local f
  f=$(panel 50000 20)
  echo "== ols_fe: 1M rows, two absorbed fixed effects (50,000 learners, 20 periods), CR1 by learner"
  echo "   attrib fit-only: $(fit_time "$ATTRIB" ols "$f" --formula "sales ~ treated + tenure | learner_id + period" --cluster learner_id -v) s"
  {
    measure "attrib ols | learner_id + period" "$ATTRIB" ols "$f" --formula "sales ~ treated + tenure | learner_id + period" --cluster learner_id
  } | report "$f" 1000000
  echo "   (R lm with factor(learner_id) would build a 1M x 50,000 dense model matrix, 400 GB: it cannot finish here;"
  echo "    at 1,000 learners x 20 periods:)"
  local g
  g=$(panel 1000 20)
  {
    measure "attrib ols | learner_id + period" "$ATTRIB" ols "$g" --formula "sales ~ treated + tenure | learner_id + period" --cluster learner_id
    if have_r_pkg sandwich && have_r_pkg data.table; then
      measure "R lm + factor() dummies + vcovCL" Rscript -e "d <- data.table::fread('$g'); m <- lm(sales ~ treated + tenure + factor(learner_id) + factor(period), d); v <- sandwich::vcovCL(m, cluster = ~learner_id)"
    fi
  } | report "$g" 20000
}

section_logit() {
  echo "== logit: $LOGIT_F (whole process median of $reps; fit-only from the tool's own clock)"
  for size in ${sizes//,/ }; do
    local f rows
    f=$(dataset "$size")
    rows=$(rows_of "$size")
    echo "-- $f: $rows rows"
    echo "   attrib fit-only: $(fit_time "$ATTRIB" logit "$f" --formula "$LOGIT_F" -v) s"
    {
      measure "attrib logit" "$ATTRIB" logit "$f" --formula "$LOGIT_F"
      if [ "$rows" -le 1000000 ] && have_r_pkg data.table; then
        measure "R glm binomial" Rscript -e "d <- data.table::fread('$f'); m <- glm($LOGIT_F, binomial, d)"
      fi
      if [ "$rows" -le 1000000 ] && /usr/bin/python3 -c 'import statsmodels' 2>/dev/null; then
        measure "statsmodels Logit" /usr/bin/python3 -c "import pandas as pd, statsmodels.formula.api as smf; d = pd.read_csv('$f'); smf.logit('${LOGIT_F//factor(/C(}', d).fit(disp=0)"
      fi
    } | report "$f" "$rows"
  done
}

# 1:1 nearest-neighbour matching on the logit of the score, caliper 0.2 SD,
# propensity model included (the same 24-term logit as above).
PSM_COVS="${NUMERICS// + /,},factor(role),factor(region)"
section_psm() {
  echo "== psm: trained ~ $PSM_COVS, 1:1 NN, caliper 0.2 (whole process median of $reps; estimate-only from attrib -v)"
  for size in ${sizes//,/ }; do
    local f rows
    f=$(dataset "$size")
    rows=$(rows_of "$size")
    echo "-- $f: $rows rows ($(awk -F, 'NR > 1 { t += $17 } END { printf "%.0f%%", 100 * t / (NR - 1) }' "$f") treated)"
    echo "   attrib estimate-only, by stage: $("$ATTRIB" psm "$f" --treat trained --outcome sales \
      --covariates "$PSM_COVS" --caliper 0.2 -v 2>&1 >/dev/null | sed -n 's/.*estimate \(.*\)$/\1/p')"
    {
      measure "attrib psm" "$ATTRIB" psm "$f" --treat trained --outcome sales --covariates "$PSM_COVS" --caliper 0.2 -q
      measure "attrib psm --replace" "$ATTRIB" psm "$f" --treat trained --outcome sales --covariates "$PSM_COVS" \
        --caliper 0.2 --replace -q
      if [ "$rows" -le 100000 ] && have_r_pkg MatchIt && have_r_pkg data.table; then
        measure "R MatchIt nearest" Rscript -e "suppressMessages(library(MatchIt)); d <- as.data.frame(data.table::fread('$f'));
          m <- matchit($LOGIT_F, d, method = 'nearest', distance = 'glm', link = 'linear.logit', caliper = 0.2)"
      fi
      if [ "$rows" -le 100000 ] && have_r_pkg Matching && have_r_pkg data.table; then
        measure "R Matching::Match" Rscript -e "suppressMessages(library(Matching)); d <- data.table::fread('$f');
          lp <- predict(glm($LOGIT_F, binomial, d)); m <- Match(Y = d\$sales, Tr = d\$trained, X = lp, M = 1,
          caliper = 0.2, replace = FALSE)"
      fi
    } | report "$f" "$rows"
  done
}

# Difference-in-differences on a staggered panel (learners x 10 periods;
# cohorts 3, 5, 7 and never treated; --sizes counts learners: 1m = 10M rows):
# the 2x2 (ever treated x period >= 5, every row) and TWFE, each beside the
# OLS of the same rows, Callaway-Sant'Anna with and without 999 multiplier draws and
# honest bounds (issue 17), Sun-Abraham and imputation. R runs
# the same regressions with lm + factor dummies (sandwich::vcovCL) and the
# ATT(g,t) definition in data.table, where it finishes.
section_did() {
  echo "== did: staggered panel, 10 periods (whole process median of $reps)"
  for size in ${sizes//,/ }; do
    local n f rows
    n=$(rows_of "$size")
    f=$(panel "$n" 10)
    rows=$((n * 10))
    echo "-- $f: $rows rows ($n learners)"
    local f2=${f%.csv}_2x2.csv
    [ -f "$f2" ] || awk -F, -v OFS=, 'NR == 1 { print "learner_id,treat,post,sales"; next }
      { print $1, ($4 > 0), ($3 >= 5), $10 }' "$f" >"$f2"
    {
      measure "attrib ols y ~ treat * post" "$ATTRIB" ols "$f2" --formula "sales ~ treat * post" --cluster learner_id -q
      measure "attrib did 2x2" "$ATTRIB" did "$f2" --outcome sales --treat treat --post post --cluster learner_id -q
      measure "attrib ols (same rows, 2 FE)" "$ATTRIB" ols "$f" --formula "sales ~ treated | learner_id + period" --cluster learner_id -q
      measure "attrib did --estimator twfe" "$ATTRIB" did "$f" --outcome sales --unit learner_id --time period --cohort cohort --estimator twfe -q
      measure "attrib did (CS, analytic)" "$ATTRIB" did "$f" --outcome sales --unit learner_id --time period --cohort cohort -q
      measure "attrib did (CS, 999 boot)" "$ATTRIB" did "$f" --outcome sales --unit learner_id --time period --cohort cohort --bootstrap 999 --seed 1 -q
      measure "attrib did (CS, 999 boot, honest rm)" "$ATTRIB" did "$f" --outcome sales --unit learner_id --time period --cohort cohort --bootstrap 999 --seed 1 --base-period universal --honest rm --mbar 0,0.5,1,1.5,2 -q
      measure "attrib did (CS, 999 boot, honest sd)" "$ATTRIB" did "$f" --outcome sales --unit learner_id --time period --cohort cohort --bootstrap 999 --seed 1 --base-period universal --honest sd --m 0,0.01,0.02 -q
      measure "attrib did --estimator sunab" "$ATTRIB" did "$f" --outcome sales --unit learner_id --time period --cohort cohort --estimator sunab -q
      measure "attrib did --estimator imputation" "$ATTRIB" did "$f" --outcome sales --unit learner_id --time period --cohort cohort --estimator imputation -q
      if [ "$rows" -le 20000 ] && have_r_pkg sandwich && have_r_pkg data.table; then
        measure "R lm + dummies + vcovCL" Rscript -e "suppressMessages(library(sandwich)); d <- data.table::fread('$f');
          m <- lm(sales ~ treated + factor(learner_id) + factor(period), d); v <- vcovCL(m, cluster = ~learner_id)['treated', 'treated']"
      fi
      if have_r_pkg data.table; then
        measure "R data.table ATT(g,t) defn" Rscript -e "library(data.table); d <- fread('$f'); setkey(d, learner_id, period)
          w <- dcast(d, learner_id + cohort ~ period, value.var = 'sales'); Y <- as.matrix(w[, -(1:2)]); co <- w\$cohort
          out <- list(); for (g in setdiff(unique(co), 0)) for (t in 2:10) { b <- if (t >= g) g - 1 else t - 1
            dy <- Y[, t] - Y[, b]; out[[length(out) + 1]] <- mean(dy[co == g]) - mean(dy[co == 0]) }"
      fi
    } | report "$f" "$rows"
  done
}

# Bootstrap of the trained coefficient of the 26-coefficient OLS (1,000 team
# clusters): 999 replicates of each type beside the fit alone; the
# bootstrap's own time is the difference. R boot::boot (pairs) runs at
# 100k rows with 20 replicates and is scaled to 999 (docs/performance.md
# measured 0.21 s per replicate there).
section_boot() {
  echo "== boot: $OLS_F, 999 replicates (whole process median of $reps)"
  for size in ${sizes//,/ }; do
    local f rows
    f=$(dataset "$size")
    rows=$(rows_of "$size")
    echo "-- $f: $rows rows"
    {
      measure "attrib ols (fit only)" "$ATTRIB" ols "$f" --formula "$OLS_F" --cluster team --treat trained -q
      measure "attrib --boot-type cluster" "$ATTRIB" ols "$f" --formula "$OLS_F" --cluster team --treat trained -q \
        --bootstrap 999 --seed 1 --boot-type cluster
      measure "attrib --boot-type wild" "$ATTRIB" ols "$f" --formula "$OLS_F" --cluster team --treat trained -q \
        --bootstrap 999 --seed 1 --boot-type wild
      measure "attrib --boot-type pairs" "$ATTRIB" ols "$f" --formula "$OLS_F" --treat trained -q --bootstrap 999 --seed 1
      if [ "$rows" -le 100000 ]; then # with absorbed fixed effects every replicate refits (99: a full fit each)
        measure "attrib cluster, | team + role, 99 refits" "$ATTRIB" ols "$f" \
          --formula "sales ~ trained + prior_perf + tenure + engagement | team + role" --cluster team --treat trained -q \
          --bootstrap 99 --seed 1 --boot-type cluster
      fi
      if [ "$rows" -le 100000 ] && have_r_pkg boot && have_r_pkg data.table; then
        measure "R boot::boot pairs, R = 20" Rscript -e "suppressMessages(library(boot)); d <- as.data.frame(data.table::fread('$f'));
          b <- boot(d, function(x, i) coef(lm($OLS_F, x[i, ]))[['trained']], R = 20)"
      fi
    } | report "$f" "$rows"
  done
  section_boot_clusters
}

# The bootstraps at the simulator's default clusters (rows / 25 teams:
# 40,000 at 1M rows; issue 19), where their cost once grew with G x B: the
# fit alone, then 999 cluster and wild replicates. Whole process, median
# wall and CPU (user + sys: the machine is shared, CPU time is the steadier
# figure) and peak RSS. BEFORE=path/to/attrib runs an earlier build
# interleaved with this one, run by run.
measure_cpu() { # measure_cpu LABEL CMD...: median wall, median user+sys, peak RSS over $reps runs
  local label=$1; shift
  local walls=() cpus=() rss=0 e u sy m tf
  tf=$(mktemp)
  for _ in $(seq "$reps"); do
    /usr/bin/time -o "$tf" -f "%e %U %S %M" "$@" >/dev/null 2>&1 || { echo "  ($label failed)" >&2; rm -f "$tf"; return 0; }
    read -r e u sy m < "$tf"
    walls+=("$e"); cpus+=("$(awk -v a="$u" -v b="$sy" 'BEGIN { print a + b }')")
    if [ "$m" -gt "$rss" ]; then rss=$m; fi
  done
  rm -f "$tf"
  med() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
  printf '  %-40s %8.2f %8.2f %9.0f\n' "$label" "$(med "${walls[@]}")" "$(med "${cpus[@]}")" "$((rss / 1024))"
}

section_boot_clusters() {
  echo "== boot at the simulator's default clusters (rows / 25): $OLS_F, 999 replicates (median of $reps)"
  for size in ${sizes//,/ }; do
    local f rows
    rows=$(rows_of "$size")
    f="benchmarks/data/cohort_${size}_g$((rows / 25)).csv"
    [ -f "$f" ] || "$ATTRIB" simulate --rows "$rows" --seed 1 -o "$f" --quiet
    echo "-- $f: $rows rows, $((rows / 25)) clusters"
    printf '  %-40s %8s %8s %9s\n' run "wall s" "CPU s" "peak MiB"
    local bins=("$ATTRIB") tags=("") bin i
    if [ -n "${BEFORE:-}" ]; then bins=("$BEFORE" "$ATTRIB"); tags=("before: " "after: "); fi
    for args in "fit only|" "cluster|--bootstrap 999 --seed 1 --boot-type cluster" "wild|--bootstrap 999 --seed 1 --boot-type wild"; do
      for i in "${!bins[@]}"; do
        bin=${bins[$i]}
        # shellcheck disable=SC2086 # the bootstrap flags split on purpose
        measure_cpu "${tags[$i]}${args%%|*}" "$bin" ols "$f" --formula "$OLS_F" --cluster team --treat trained -q ${args#*|}
      done
    done
    machine
  done
}

# A 1,000,000-cell ROI grid (attribution x value per unit x horizon, 100
# values each), computed on the threads and written as CSV.
section_sweep() {
  echo "== sweep: a 1,000,000-cell ROI assumption grid (median of $reps)"
  {
    measure "attrib roi --sweep (1M cells, CSV out)" "$ATTRIB" roi --learners 200 --effect 800 --cost-per-learner 1000 \
      --sweep attribution=0.01:1:0.01 --sweep value_per_unit=1:100:1 --sweep horizon=1:100:1 --sweep-out /tmp/attrib_grid.csv -q
    measure "attrib roi --sweep (1M cells, no file)" "$ATTRIB" roi --learners 200 --effect 800 --cost-per-learner 1000 \
      --sweep attribution=0.01:1:0.01 --sweep value_per_unit=1:100:1 --sweep horizon=1:100:1 -q
  } | report /dev/null 1000000
  rm -f /tmp/attrib_grid.csv
  local f
  f=$(dataset 100k)
  echo "== sweep: 1,000 PSM specifications on $f (25 calipers x 5 ratios x replace x estimand x link; median of $reps)"
  {
    measure "attrib sensitivity spec psm (1,000)" "$ATTRIB" sensitivity spec psm "$f" --treat trained --outcome sales \
      --covariates "prior_perf,engagement,tenure,factor(role)" --vary caliper=0.02:0.5:0.02 --vary ratio=1,2,3,4,5 \
      --vary replace=0,1 --vary estimand=att,atc --vary link=logit,probit -q
  } | report "$f" 100000
}

# The whole study on the 1M cohort: OLS + PSM + AIPW with 999 bootstrap
# replicates each (wild cluster, multiplier), checks, ROI, the sensitivity
# suite and the HTML report.
section_analyze() {
  echo "== analyze: OLS + PSM + AIPW, 999 replicates, sensitivity and report (median of $reps)"
  for size in ${sizes//,/ }; do
    local f rows
    f=$(dataset "$size")
    rows=$(rows_of "$size")
    {
      measure "attrib analyze --report" "$ATTRIB" analyze "$f" --outcome sales --treat trained \
        --covariates "${NUMERICS// + /,},factor(role),factor(region)" --cluster team --learners 200 --value-per-unit 1000 \
        --horizon 12 --attribution 0.7 --cost-per-learner 1000 --bootstrap 999 --seed 1 --report /tmp/attrib_report.html -q
    } | report "$f" "$rows"
  done
  rm -f /tmp/attrib_report.html
}

for s in "${sections[@]}"; do "section_$s"; done
