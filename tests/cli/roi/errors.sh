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
# Out-of-domain values name the flag and what it expects (issue 12; 15.7:
# "--learners -5" once said it "needs the number of learners"), for roi and
# analyze alike (they share the parser), and from a --spec file too
run --effect 5 --learners -5 --cost program=1000
run --effect 5 --learners 0 --cost program=1000
run --effect 5 --learners 1e400 --cost program=1000
run --effect 5 --learners 10 --horizon 0 --cost program=1000
run --effect 5 --learners 10 --decay 1 --cost program=1000
run --effect 5 --learners 10 --attribution -0.1 --cost program=1000
run --effect 5 --learners 10 --margin 30 --cost program=1000
run --effect 5 --learners 10 --periods-per-year 0 --cost program=1000
run --effect 5 --learners 10 --cost-per-learner -20
run --effect 5 --learners 10 --cost program=-1000
run --effect 5 --learners 10 --cost program=1e200*1e200
run --effect 5 --se -1 --learners 10 --cost program=1000
run --effect 5 --learners 10 --cost program=1000 --level 95
run --effect 5 --learners 10 --cost program=1000 --sweep horizon=0:4:1
run --effect 5 --learners 10 --cost program=1000 --sweep decay=0,0.5,1
run --effect 5 --cost-per-learner 20
printf 'effect = 5\nlearners = -5\n[costs]\nprogram = 1000\n' >bad.ini
run --spec bad.ini
"$ATTRIB" analyze "$DATA/learners.csv" --outcome sales --treat trained --learners -5 >/dev/null 2>err
echo "analyze exit $?: $(head -1 err)"
