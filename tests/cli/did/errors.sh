# Data and design errors get one line naming what is wrong, exit 1; usage
# errors exit 2.
cp "$DATA/../../reference/did/did_panel.csv" panel.csv
p=panel.csv
run() { "$ATTRIB" did "$@" >/dev/null 2>err; echo "exit $?: $(cat err)"; }
head -3 "$p" >dup.csv; sed -n 2p "$p" >>dup.csv
run dup.csv --outcome sales --unit learner_id --time period --cohort cohort
{ head -1 "$p"; sed -n 2,9p "$p"; sed -n 10p "$p" | awk -F, -v OFS=, '{ $4 = 7; print }'; sed -n 11,200p "$p"; } >changing.csv
run changing.csv --outcome sales --unit learner_id --time period --cohort cohort
awk -F, -v OFS=, 'NR == 5 { $3 = 2.5 } { print }' "$p" >frac.csv
run frac.csv --outcome sales --unit learner_id --time period --cohort cohort
awk -F, -v OFS=, 'NR > 1 && $4 == 0 { $4 = 8 } { print }' "$p" >nonever.csv
run nonever.csv --outcome sales --unit learner_id --time period --cohort cohort
"$ATTRIB" did nonever.csv --outcome sales --unit learner_id --time period --cohort cohort --control notyet --format json 2>/dev/null |
  jq -r '"notyet without never-treated units: \(.group_time | length) cells"'
awk -F, -v OFS=, 'NR > 1 && $4 == 3 { $4 = 1 } NR > 1 && $1 == 2 && $3 == 4 { next } { print }' "$p" >first.csv
"$ATTRIB" did first.csv --outcome sales --unit learner_id --time period --cohort cohort --format json 2>/dev/null |
  jq -r '"first-period cohort dropped: \(.counts.n_dropped_first_period), incomplete: \(.counts.n_incomplete)", (.warnings[])'
# unbalanced with covariates is estimated (the DR repeated-cross-section form; tests/cli/did/unbalanced_covariates.sh)
"$ATTRIB" did "$p" --outcome sales --unit learner_id --time period --cohort cohort --unbalanced keep --covariates tenure \
  --format json -q | jq -r '"unbalanced keep with covariates: \(.group_time | length) cells"'
awk -F, -v OFS=, 'NR == 1 { print $0, "sep"; next } { print $0, ($4 == 3) }' "$p" >sep.csv
run sep.csv --outcome sales --unit learner_id --time period --cohort cohort --covariates sep
run "$p" --outcome sales --unit learner_id --time period --cohort cohort --event-study
run "$p" --outcome sales --treat treated --post period --unit learner_id
run "$p" --outcome sales --unit learner_id --time period --cohort cohort --control sometimes
run "$p" --outcome sales --unit learner_id --time period --cohort cohort --cluster nope
