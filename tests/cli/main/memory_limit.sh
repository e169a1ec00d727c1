# Under a virtual-memory (or data-size) limit every command ends, with its
# result or a one-line out-of-memory message (issue 15, defect 5). Before,
# OpenBLAS's worker threads retried a 128 MiB buffer forever while main
# waited for them: even --version hung at `ulimit -v 190000`; and with one
# BLAS thread the first BLAS call retried its buffer forever (ols hung at
# any limit between 64 and 160 MB). OPENBLAS_NUM_THREADS=4 asks for workers,
# as a user's environment may. Each run has 20 s; ctest gives the case 120 s
# (TIMEOUT, tests/CMakeLists.txt). Not in sanitizer builds: ASan reserves
# terabytes of address space and cannot start under a limit.
export OPENBLAS_NUM_THREADS=4
L="$DATA/learners.csv"
run() { # limit-flag limit command...
  local f=$1 v=$2
  shift 2
  (ulimit "$f" "$v"; timeout 20 "$ATTRIB" "$@" >out.txt 2>err.txt)
  local rc=$?
  [ "$rc" = 124 ] && rc="124 (timed out)"
  echo "ulimit $f $v, ${*:1:1}: exit $rc"
  sed -E 's/[0-9]+ MiB/N MiB/g' err.txt
}
run -v 190000 --version
run -v 190000 describe "$L"
run -v 100000 ols "$L" --formula 'sales ~ trained + tenure' --treat trained
run -d 100000 ols "$L" --formula 'sales ~ trained + tenure' --treat trained
run -v 400000 ols "$L" --formula 'sales ~ trained + tenure' --treat trained
grep -c '^trained ' out.txt
run -v 400000 psm "$L" --treat trained --outcome sales --covariates tenure,prior_perf
