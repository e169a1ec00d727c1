# --honest: Rambachan & Roth (2023) robust sets on the event study
# (src/sensitivity/honest_did.c, validated in tests/unit/test_honest_did.c):
# the JSON block and the text, relative magnitudes and smoothness, and the
# refusals (varying base period, no event study, mismatched flags).
cp "$DATA/../../../datasets/panel_sample.csv" panel.csv
p=(panel.csv --outcome sales --unit learner_id --time period --cohort cohort)
"$ATTRIB" did "${p[@]}" --base-period universal --honest rm --mbar 0,1,2 --format json |
  jq -c '.honest | {restriction, method, target, n_pre, n_post, original, sets, breakdown, breakdown_status, breakeven_roi}'
"$ATTRIB" did "${p[@]}" --base-period universal --honest sd --m 0:0.1:0.05 --honest-target 1 --format json |
  jq -c '.honest | {restriction, method, target, l, sets, breakdown}'
"$ATTRIB" did "${p[@]}" --estimator twfe --event-study --honest rm --mbar 0.5 | sed -n '/^Honest/,$p'
run() { "$ATTRIB" did "$@" >/dev/null 2>err; echo "exit $?: $(cat err)"; }
run "${p[@]}" --honest rm
run "${p[@]}" --estimator twfe --honest rm
run "${p[@]}" --base-period universal --honest sd
run "${p[@]}" --base-period universal --honest sd --mbar 1
run "${p[@]}" --base-period universal --m 1
run "${p[@]}" --base-period universal --honest linear
run "${p[@]}" --base-period universal --honest rm --mbar=-1
run "${p[@]}" --base-period universal --honest rm --honest-target 9
run "${p[@]}" --base-period universal --honest rm --format csv
