# Issue 18: roi --from a fit of several outcomes (psm --outcome a,b; ols
# "c(a, b) ~"). Before, psm's file gave the first outcome's effect with no
# word (its top-level effect is the first outcome's) and ols's was "no
# effect.estimate". Now --outcome NAME picks one (its effect equal to a
# single-outcome run's), and without it, or with a name not in the file,
# the command refuses, naming the outcomes.
cp "$DATA/learners.csv" .
roi="--learners 500 --value-per-unit 40 --cost program=50000"
"$ATTRIB" psm learners.csv --treat trained --outcome sales,churned --covariates "prior_perf,engagement,tenure" -q \
  --format json -o m.json
"$ATTRIB" psm learners.csv --treat trained --outcome churned --covariates "prior_perf,engagement,tenure" -q \
  --format json -o one.json
# shellcheck disable=SC2086
"$ATTRIB" roi --from m.json $roi >/dev/null 2>err; echo "psm, no --outcome: exit $?: $(head -1 err)"
# shellcheck disable=SC2086
"$ATTRIB" roi --from m.json $roi --outcome churn >/dev/null 2>err; echo "psm, --outcome churn: exit $?: $(head -1 err)"
# shellcheck disable=SC2086
"$ATTRIB" roi --from m.json $roi --outcome churned -q --format json >r.json
# shellcheck disable=SC2086
"$ATTRIB" roi --from one.json $roi -q --format json >r1.json
jq -r --slurpfile o one.json '"psm --outcome churned: effect \(.inputs.effect == $o[0].effect.estimate), se \(.inputs.se == $o[0].effect.std_error); \(.inputs.effect_source)"' r.json
[ "$(jq -c 'del(.inputs.effect_source)' r.json)" = "$(jq -c . r1.json)" ] && echo "  ROI as from the single-outcome fit" || echo "  ROI differs"
# shellcheck disable=SC2086
"$ATTRIB" roi --from m.json $roi --outcome sales | sed -n 2,3p
"$ATTRIB" ols learners.csv --formula "c(sales, churned) ~ trained + tenure" --treat trained -q --format json -o o.json
# shellcheck disable=SC2086
"$ATTRIB" roi --from o.json $roi >/dev/null 2>err; echo "ols, no --outcome: exit $?: $(head -1 err)"
# shellcheck disable=SC2086
"$ATTRIB" roi --from o.json $roi --outcome sales -q --format json >ro.json
jq -r --slurpfile o o.json '"ols --outcome sales: effect \(.inputs.effect == ($o[0].outcomes[] | select(.outcome == "sales") | .effect.estimate))"' ro.json
# a one-outcome file: --outcome may name its own outcome, no other
"$ATTRIB" ols learners.csv --formula "sales ~ trained + tenure" --treat trained -q --format json -o s.json
# shellcheck disable=SC2086
"$ATTRIB" roi --from s.json $roi --outcome sales -q >/dev/null 2>err; echo "one outcome, --outcome sales: exit $?"
# shellcheck disable=SC2086
"$ATTRIB" roi --from s.json $roi --outcome churned >/dev/null 2>err; echo "one outcome, --outcome churned: exit $?: $(head -1 err)"
