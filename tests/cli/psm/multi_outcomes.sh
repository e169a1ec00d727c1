# Several outcomes on one score model and one matching or weighting (issue 18).
cp "$DATA/learners.csv" .
echo "== matching: Bonferroni and Holm (no valid bootstrap for matching) =="
"$ATTRIB" psm learners.csv --treat trained --outcome sales,churned,engagement --covariates "tenure,prior_perf,factor(role)" |
  sed -n '/on each of/,/^Romano-Wolf/p'
echo "== AIPW with the multiplier bootstrap: Romano-Wolf too (JSON) =="
"$ATTRIB" psm learners.csv --treat trained --outcome sales,churned,engagement --covariates "tenure,prior_perf,factor(role)" \
  --method aipw --bootstrap 999 --seed 3 --format json |
  jq -S 'def r: if type == "number" then (. * 1e6 | round / 1e6) else . end;
    {multiple_testing, effect_is_first: (.effect.estimate == .outcomes[0].effect.estimate),
     outcomes: [.outcomes[] | {outcome, n_obs, effect: (.effect | map_values(r))}]}'
echo "== each outcome's effect equals its single-outcome run =="
for y in sales churned engagement; do
  "$ATTRIB" psm learners.csv --treat trained --outcome $y --covariates "tenure,prior_perf,factor(role)" --format json |
    jq -c '.effect | del(.se_method, .df, .level)'
done > single.txt
"$ATTRIB" psm learners.csv --treat trained --outcome sales,churned,engagement --covariates "tenure,prior_perf,factor(role)" \
  --format json | jq -c '.outcomes[] | .effect | del(.se_method, .p_bonferroni, .p_holm, .p_romano_wolf)' > multi.txt
diff single.txt multi.txt && echo "identical: $(wc -l < multi.txt) outcomes"
echo "== --per-outcome-rows =="
"$ATTRIB" psm learners.csv --treat trained --outcome sales,churned --covariates "tenure,prior_perf" --per-outcome-rows \
  --format json | jq -c '.multiple_testing, [.outcomes[] | {outcome, n_obs, p_holm: .effect.p_holm}]'
