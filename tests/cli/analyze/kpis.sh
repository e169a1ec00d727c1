# analyze with several KPIs (issue 18, --outcome a,b,c): the headline (the
# first KPI) is the single-outcome study byte for byte; the "outcomes" table
# is the primary method run on every KPI through the command's own
# multi-outcome path, so each row equals that command run alone with the
# same options, to the last digit: ols c(...) ~ with HC1 and the wild
# bootstrap (Romano-Wolf), psm matching with replacement (no Romano-Wolf),
# the doubly robust ATT with the multiplier bootstrap, Callaway-Sant'Anna and
# two-way fixed effects on panels. A KPI missing in some rows is dropped for
# all (counted); --per-outcome-rows keeps each KPI's rows; 1 and 4 threads
# give the same table. The HTML report's
# outcomes section carries the JSON's numbers.
"$ATTRIB" simulate --rows 1500 --seed 7 -q -o s.csv
# calls_per_week blank in every 40th row: rows complete but for one KPI
awk -F, 'BEGIN { OFS = "," } NR > 1 && NR % 40 == 0 { $13 = "" } { print }' s.csv >c.csv
K=sales,churned,calls_per_week
C="prior_perf,engagement,tenure"
F="prior_perf + engagement + tenure"
row='[.outcomes[] | [.outcome, .n_obs, .effect.estimate, .effect.std_error, .effect.ci_low, .effect.ci_high,
      .effect.p_value, .effect.p_bonferroni, .effect.p_holm, .effect.p_romano_wolf]]'
# ols writes each outcome's rows in its fit
orow=$(printf '%s' "$row" | sed 's/\.n_obs/.fit.n_obs/')
same() { [ "$2" = "$3" ] && echo "$1: equal" || printf '%s: differ\n  %s\n  %s\n' "$1" "$2" "$3"; }

echo "== one KPI: the same bytes as before, text and JSON =="
"$ATTRIB" analyze c.csv --outcome sales --treat trained --covariates "$C" --bootstrap 199 --seed 3 -q >one.txt
"$ATTRIB" analyze c.csv --outcome sales --treat trained --covariates "$C" --bootstrap 199 --seed 3 -q --format json >one.json
jq -r 'if has("outcomes") or has("multiple_testing") then "one KPI writes outcomes" else "one KPI: no outcomes keys" end' one.json

echo "== ols (the cross-section's primary): equals ols c(...) ~ with the wild bootstrap =="
"$ATTRIB" analyze c.csv --outcome "$K" --treat trained --covariates "$C" --bootstrap 199 --seed 3 -q --format json >a.json
"$ATTRIB" analyze c.csv --outcome "$K" --treat trained --covariates "$C" --bootstrap 199 --seed 3 -q >a.txt
"$ATTRIB" ols c.csv --formula "c($K) ~ trained + $F" --treat trained --vcov hc1 --bootstrap 199 --seed 3 -q --format json >o.json
same "ols rows" "$(jq -c "$row" a.json)" "$(jq -c "$orow" o.json)"
same "headline unchanged (JSON without the KPI keys)" "$(jq -c 'del(.outcomes, .multiple_testing)' a.json)" "$(jq -c . one.json)"
same "headline unchanged (text before the KPI table)" "$(sed '/^Several KPIs/,$d' a.txt)" "$(cat one.txt)"
jq -c '.multiple_testing' a.json
jq -r '"headline \(.methods[0].estimate) on \(.methods[0].n_obs) rows; outcomes[0] \(.outcomes[0].effect.estimate) on \(.outcomes[0].n_obs)"' a.json
sed -n '/^Several KPIs/,$p' a.txt

for th in 1 4; do
  "$ATTRIB" analyze c.csv --outcome "$K" --treat trained --covariates "$C" --bootstrap 199 --seed 3 --threads $th -q \
    --format json | jq -c '.outcomes' >"th$th.json"
done
cmp -s th1.json th4.json && echo "threads 1 and 4: the same table" || echo "threads 1 and 4 differ"

echo "== psm (matching with replacement): equals psm --outcome a,b,c --replace =="
"$ATTRIB" analyze c.csv --outcome "$K" --treat trained --covariates "$C" --primary psm -q --format json >m.json
"$ATTRIB" psm c.csv --treat trained --outcome "$K" --covariates "$C" --replace -q --format json >p.json
same "psm rows" "$(jq -c "$row" m.json)" "$(jq -c "$row" p.json)"
jq -r '.multiple_testing.romano_wolf' m.json

echo "== aipw with the bootstrap: equals psm --method aipw --bootstrap =="
"$ATTRIB" analyze c.csv --outcome "$K" --treat trained --covariates "$C" --primary aipw --bootstrap 199 --seed 3 -q \
  --format json >w.json
"$ATTRIB" psm c.csv --treat trained --outcome "$K" --covariates "$C" --method aipw --bootstrap 199 --seed 3 -q \
  --format json >pw.json
same "aipw rows" "$(jq -c "$row" w.json)" "$(jq -c "$row" pw.json)"
jq -c '.multiple_testing | {replicates, romano_wolf}' w.json

echo "== --per-outcome-rows: each KPI its own rows, no Romano-Wolf =="
"$ATTRIB" analyze c.csv --outcome "$K" --treat trained --covariates "$C" --per-outcome-rows --bootstrap 199 --seed 3 -q \
  --format json >e.json
"$ATTRIB" ols c.csv --formula "c($K) ~ trained + $F" --treat trained --vcov hc1 --per-outcome-rows --bootstrap 199 \
  --seed 3 -q --format json >oe.json
same "per-outcome rows" "$(jq -c "$row" e.json)" "$(jq -c "$orow" oe.json)"
jq -c '.multiple_testing | {rows, rows_dropped_for_an_outcome, romano_wolf}' e.json

echo "== the HTML and Markdown reports =="
"$ATTRIB" analyze c.csv --outcome "$K" --treat trained --covariates "$C" --bootstrap 199 --seed 3 -q --report r.html \
  --report-md r.md >/dev/null
grep -c '<section id="outcomes">' r.html
for j in 0 1 2; do
  for k in "outcome_$j .effect.estimate" "outcome_p_holm_$j .effect.p_holm" "outcome_p_romano_wolf_$j .effect.p_romano_wolf"; do
    set -- $k
    html=$(grep -o "data-key=\"$1\" data-value=\"[^\"]*\"" r.html | sed 's/.*data-value="\(.*\)"/\1/')
    json=$(jq ".outcomes[$j]$2" a.json)
    awk -v k="$1" -v a="$html" -v b="$json" 'BEGIN { d = a - b; if (d < 0) d = -d; m = b < 0 ? -b : b
      print k ": " (a != "" && d <= 1e-15 * (1 + m) ? "page = json" : a " vs " b) }'
  done
done
grep -c '^## Several KPIs' r.md

echo "== panel, staggered (did): equals did --outcome a,b,c with the multiplier bootstrap =="
"$ATTRIB" simulate --design panel --rows 500 --seed 3 -q -o p.csv
# two derived KPIs: deals follows sales; nps is noise, blank in every 97th row
awk -F, 'BEGIN { OFS = "," } NR == 1 { print $0, "deals", "nps"; next }
  { n = (NR % 97 == 0) ? "" : sprintf("%.2f", (($1 * 7919 + $3 * 104729) % 1000) / 100)
    print $0, sprintf("%.3f", $10 * 0.2 + ($1 % 7) * 0.1), n }' p.csv >pk.csv
P="--unit learner_id --time period --cohort cohort"
# shellcheck disable=SC2086
"$ATTRIB" analyze pk.csv --outcome sales,deals,nps --treat treated --covariates prior_perf $P --honest none \
  --bootstrap 199 --seed 5 -q --format json >d.json
# shellcheck disable=SC2086
"$ATTRIB" did pk.csv --outcome sales,deals,nps $P --bootstrap 199 --seed 5 -q --format json >dd.json
same "did rows" "$(jq -c "$row" d.json)" "$(jq -c "$row" dd.json)"
jq -c '.multiple_testing' d.json

echo "== panel, one adoption date (twfe): equals did --estimator twfe with the wild bootstrap =="
"$ATTRIB" simulate --design panel --adoption single --rows 400 --seed 4 -q -o q.csv
awk -F, 'BEGIN { OFS = "," } NR == 1 { print $0, "deals"; next } { print $0, sprintf("%.3f", $10 * 0.2 + ($1 % 5) * 0.3) }' \
  q.csv >qk.csv
# shellcheck disable=SC2086
"$ATTRIB" analyze qk.csv --outcome sales,deals --treat treated --covariates prior_perf $P --honest none \
  --bootstrap 199 --seed 5 -q --format json >t.json
# shellcheck disable=SC2086
"$ATTRIB" did qk.csv --outcome sales,deals $P --estimator twfe --bootstrap 199 --seed 5 -q --format json >td.json
same "twfe rows" "$(jq -c "$row" t.json)" "$(jq -c "$row" td.json)"
jq -c '.multiple_testing | {method, replicates}' t.json

echo "== panel with a cross-section primary: no table, the reason =="
# shellcheck disable=SC2086
"$ATTRIB" analyze qk.csv --outcome sales,deals --treat treated --covariates prior_perf $P --honest none --primary ols \
  -q --format json | jq -c '{outcomes, outcomes_note}'
