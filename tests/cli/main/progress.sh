# Long steps show a progress line on stderr when it is a terminal (the
# issue: load, bootstrap, sweeps), cleared when the step ends; -q and a
# redirected stderr show none. tests/support/ptyrun.c gives the command's
# stderr a terminal and reads it until the last byte (script(1) could lose
# the final clearing escape under CPU load); ATTRIB_PROGRESS_DELAY=0 shows
# the line at once instead of after a second.
export ATTRIB_PROGRESS_DELAY=0
L="$DATA/learners.csv"
PTYRUN=${ATTRIB_PTYRUN:-$(dirname "$ATTRIB")/tests/ptyrun}
onterm() { "$PTYRUN" term.log "$@"; tr '\r' '\n' <term.log >term.txt; }
has() { grep -q -- "$1" term.txt && echo "$2: shown" || echo "$2: not shown"; }
onterm "$ATTRIB" describe "$L" -o d.txt
has "attrib describe: loading $L: counting rows" "load, counting"
has "attrib describe: loading $L: reading" "load, reading"
grep -qx $'\033\[K' term.txt && echo "load: line cleared" || echo "load: line left"
onterm "$ATTRIB" describe "$L" -q -o d.txt
has "loading" "load with -q"
"$ATTRIB" describe "$L" -o d.txt 2>err.txt
grep -q loading err.txt && echo "load, stderr not a terminal: shown" || echo "load, stderr not a terminal: not shown"
onterm "$ATTRIB" ols "$L" --formula 'sales ~ trained + tenure' --treat trained --bootstrap 200 --seed 1 -o o.txt
has "attrib ols: bootstrap [0-9]*/200 replicates" "bootstrap"
onterm "$ATTRIB" sensitivity spec psm "$L" --treat trained --outcome sales --covariates tenure,prior_perf --vary caliper=0,0.1 -o s.txt
has "attrib sensitivity spec: [0-9]/2 specifications" "specification sweep"
onterm "$ATTRIB" analyze "$L" --outcome sales --treat trained --covariates tenure,prior_perf --bootstrap 99 --seed 1 -o a.txt
has "attrib analyze: OLS pairs bootstrap [0-9]*/99 replicates" "analyze, bootstrap"
has "attrib analyze: PSM" "analyze, steps"
grep -qx $'\033\[K' term.txt && echo "analyze: line cleared" || echo "analyze: line left"
