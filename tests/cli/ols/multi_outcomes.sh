# Several outcomes on one design (issue 18): c(y1, y2, y3) ~ rhs.
cp "$DATA/learners.csv" .
# rows 50, 100, ... lose their churned value: dropped for every outcome, and counted
awk -F, 'BEGIN { OFS = "," } NR > 1 && (NR - 1) % 50 == 0 { $20 = "" } { print }' learners.csv > gaps.csv
f="c(sales, churned, engagement) ~ trained + tenure + factor(role)"
echo "== text, wild bootstrap (the same weights for every outcome) =="
"$ATTRIB" ols gaps.csv --formula "$f" --cluster team --bootstrap 999 --seed 7
echo "== JSON contract =="
"$ATTRIB" ols gaps.csv --formula "$f" --cluster team --treat trained --bootstrap 999 --seed 7 --format json > m.json
jq -S 'def r: if type == "number" then (. * 1e6 | round / 1e6) else . end;
  {keys: keys, n_outcomes, n_obs, effect_term, effect_term_defaulted, dropped, multiple_testing,
   outcome_keys: (.outcomes[0] | keys), effect_keys: (.outcomes[0].effect | keys),
   effects: [.outcomes[] | {outcome, effect: (.effect | map_values(r))}]}' m.json
echo "== each outcome's effect equals its single-outcome fit on the same rows =="
awk -F, 'NR == 1 || $20 != ""' gaps.csv > complete.csv
for y in sales churned engagement; do
  "$ATTRIB" ols complete.csv --formula "$y ~ trained + tenure + factor(role)" --cluster team --treat trained \
    --bootstrap 999 --seed 7 --format json |
    jq -c '{outcome: .response, effect: (.effect | del(.term)), boot_p: .bootstrap.p_value}'
done > single.txt
jq -c '.outcomes[] | {outcome, effect: (.effect | del(.term, .p_bonferroni, .p_holm, .p_romano_wolf)), boot_p: .fit.bootstrap.p_value}' m.json > multi.txt
diff single.txt multi.txt && echo "identical: $(wc -l < multi.txt) outcomes"
echo "== CSV =="
"$ATTRIB" ols gaps.csv --formula "$f" --cluster team --format csv | cut -d, -f1-2,9-11
echo "== --per-outcome-rows: each outcome its own rows (sales keeps the 40 rows churned lacks) =="
"$ATTRIB" ols gaps.csv --formula "$f" --cluster team --per-outcome-rows --format json |
  jq -c '.multiple_testing.rows, .multiple_testing.romano_wolf, [.outcomes[] | {outcome, n_obs: .fit.n_obs}]'
"$ATTRIB" ols gaps.csv --formula "sales ~ trained + tenure + factor(role)" --cluster team --treat trained --format json | jq -c .effect > single.txt
"$ATTRIB" ols gaps.csv --formula "$f" --cluster team --per-outcome-rows --format json |
  jq -c '.outcomes[0].effect | del(.p_bonferroni, .p_holm, .p_romano_wolf)' > multi.txt
diff single.txt multi.txt && echo "identical: sales on its own 2000 rows"
