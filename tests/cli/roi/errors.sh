# Bad ROI inputs get one line naming the problem (exit 2 for usage, 1 for data).
run() { "$ATTRIB" roi "$@" >/dev/null 2>err; echo "exit $?: $(head -1 err)"; }
run --effect 5 --learners 10
run --effect 5 --cost program=1000
run --learners 10 --cost program=1000
run --effect 5 --learners 10 --cost program=12x5
run --effect 5 --learners 10 --cost program=1000 --attribution 1.5
run --effect 5 --learners 10 --cost program=1000 --benefit extra=10@sd=2
run --effect 5 --learners 10 --cost program=1000@range=900..800
run --effect 5 --learners 10 --cost program=1000 --bootstrap 999
run --from nope.json --learners 10 --cost program=1000
echo '{"command":"ols"}' >noeffect.json
run --from noeffect.json --learners 10 --cost program=1000
run --effect 5 --learners 10 --cost program=1000 --draws nope.csv
