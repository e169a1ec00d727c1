# The multiplier bootstrap of the Callaway-Sant'Anna estimator behind the
# shared bootstrap flags: the "bootstrap" object of the contract, each
# weight distribution giving an SE within 12% of the analytic one (the
# IQR-based SE at B = 999 has a Monte Carlo SD near 3.5%), --save-draws
# writing B replicates centred on the estimate, and the other types refused.
p="$DATA/../../reference/did/did_panel.csv"
run() { "$ATTRIB" did "$p" --outcome sales --unit learner_id --time period --cohort cohort -q --format json "$@"; }
an=$(run | jq .effect.std_error)
for w in rademacher webb mammen; do
  run --bootstrap 999 --seed 4 --weights-dist $w >b_$w.json
  jq -r --arg an "$an" --arg w "$w" '.bootstrap | "\($w): keys " +
    ([has("replicates", "type", "method", "std_error", "ci_low", "ci_high", "p_value")] | all | tostring) +
    ", type \(.type), method \(.method), SE vs analytic " +
    (if ((.std_error - ($an | tonumber)) / ($an | tonumber) | fabs) < 0.12 then "within 12%" else "off: \(.std_error) vs \($an)" end)' b_$w.json
done
run --bootstrap 999 --seed 4 --ci percentile --save-draws draws.csv >pct.json
# no replicate is as extreme here: the p-value is the bound 1/(B+1), flagged
jq -r '.bootstrap | "percentile: [\(.ci_low < .estimate and .estimate < .ci_high)] estimate inside, p \(if .p_value_bound == "upper" then "< \(.p_value)" else "= \(.p_value)" end)"' pct.json
awk -F, -v e="$(jq .bootstrap.estimate pct.json)" 'NR > 1 { n++; s += $2 } END { m = s / n; d = m - e; if (d < 0) d = -d;
  print "draws: " n " rows, " (d < 0.05 ? "centred on the estimate" : "mean " m " vs " e) }' draws.csv
"$ATTRIB" did "$p" --outcome sales --unit learner_id --time period --cohort cohort --bootstrap 999 --boot-type wild 2>&1 | head -1
"$ATTRIB" did "$p" --outcome sales --unit learner_id --time period --cohort cohort --bootstrap 999 --ci bca 2>&1 | head -1
