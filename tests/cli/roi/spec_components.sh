# Benefit components by their own flags and the --spec file (INI and JSON):
#  - the first worked example written as components: sales 20,000 +
#    productivity 200 h x 75 + instructor hours 500 x 60 + retention 2 x
#    10,000 against 50,000 -> 70%;
#  - revenue uplift counts at the contribution margin: 100,000 x 0.3 against
#    20,000 -> 50%; LTV uplift (120 x 0.1 x 36) - 300 = 132 per account;
#  - the 200-rep example from an INI and a JSON spec -> 2,588%, and a
#    command-line flag overriding the file (attribution 0.5 -> 1,820%).
r() { "$ATTRIB" roi "$@" --format json | jq -r '"roi \(.roi_pct)%, benefits \(.benefits | to_entries | map("\(.key) \(.value)") | join(", "))"'; }
r --cost program=50000 --benefit sales=20000 --productivity 200*75 --instructor-hours 500*60 --retention 2*10000
r --cost program=20000 --revenue-uplift 100000 --margin 0.3
r --cost program=100 --ltv-uplift 120:0.1:36:300
cat >study.ini <<'INI'
# the 200-rep programme
effect = 800
learners = 200
horizon = 48
attribution = 0.7
cost_per_learner = 1000
[costs]
INI
printf '{"effect": 800, "learners": 200, "horizon": 48, "attribution": 0.7, "cost_per_learner": 1000}\n' >study.json
r --spec study.ini
r --spec study.json
r --spec study.ini --attribution 0.5
printf 'effect = 800\nthis line is wrong\n' >bad.ini
"$ATTRIB" roi --spec bad.ini 2>&1 | head -1
