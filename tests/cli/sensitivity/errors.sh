# Bad sensitivity inputs are named (exit 2 usage, 1 data).
run() { "$ATTRIB" sensitivity "$@" >/dev/null 2>err; echo "exit $?: $(head -1 err)"; }
run
run nonsense
run evalue --estimate 2
run evalue --estimate -2 --type rr
run evalue --estimate 2 --ci-low 2.5 --ci-high 3 --type rr
run evalue --estimate 2 --type rr --sd 3
printf 'a,b\n1,1\n2,2\n' >zero.csv
run rosenbaum --pairs zero.csv --treated a --control b
run rosenbaum --pairs zero.csv --treated a --control nope
run rosenbaum --pairs zero.csv --treated a --control b --gamma 0.5
