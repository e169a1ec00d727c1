# Several outcomes in one did run (issue 18): the same rows, the same bootstrap draws.
cp "$REFERENCE/../../datasets/panel_sample.csv" . 2>/dev/null || exit 1
echo "== TWFE with the wild bootstrap =="
"$ATTRIB" did panel_sample.csv --outcome sales,tenure --unit learner_id --time period --cohort cohort --estimator twfe \
  --bootstrap 499 --seed 2 | sed -n '/on each of/,/^Romano-Wolf/p'
echo "== CS with the multiplier bootstrap (JSON) =="
"$ATTRIB" did panel_sample.csv --outcome sales,tenure --unit learner_id --time period --cohort cohort \
  --bootstrap 499 --seed 2 --format json |
  jq -S 'def r: if type == "number" then (. * 1e6 | round / 1e6) else . end;
    {multiple_testing, outcomes: [.outcomes[] | {outcome, n_obs, effect: (.effect | map_values(r))}]}'
echo "== each outcome's effect equals its single-outcome run =="
for y in sales tenure; do
  "$ATTRIB" did panel_sample.csv --outcome $y --unit learner_id --time period --cohort cohort --estimator twfe \
    --format json 2>/dev/null | jq -c '.effect | del(.se_method, .df, .level)'
done > single.txt
"$ATTRIB" did panel_sample.csv --outcome sales,tenure --unit learner_id --time period --cohort cohort --estimator twfe \
  --format json | jq -c '.outcomes[] | .effect | del(.p_bonferroni, .p_holm, .p_romano_wolf)' > multi.txt
diff single.txt multi.txt && echo "identical: $(wc -l < multi.txt) outcomes"
