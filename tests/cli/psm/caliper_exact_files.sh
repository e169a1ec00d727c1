# Caliper, common support, exact strata, and the two side files: the counts
# must add up (every unit is matched, discarded, unmatched or unselected),
# and the pairs respect the caliper and the strata.
"$ATTRIB" psm "$DATA/lalonde.csv" --treat treat --outcome re78 --id id --covariates "age,educ,race,married,nodegree,re74,re75" \
  --caliper 0.1 --discard both --exact married --ratio 2 --format json -o out.json --matches pairs.csv --audit audit.csv
echo "exit $?"
# numbers to 9 significant digits: the last bits depend on BLAS and summation order
jq -c 'def r: if type == "number" then (. | tostring | tonumber) as $x | ($x * 1e6 | round / 1e6) else . end;
  (.counts | map_values(r)), .audit, (.matching | map_values(r)), (.effect | {estimate, std_error, se_method, df} | map_values(r))' out.json
jq -r '.counts | (.n_treated_matched + .n_treated_discarded + .n_treated_unmatched == .n_treated)' out.json
width=$(jq '.matching.caliper_width' out.json)
awk -F, -v w="$width" 'NR > 1 && $4 > w { bad++ } END { print "pairs beyond the caliper:", bad + 0 }' pairs.csv
# strata: treated and control of each pair share married
awk -F, 'NR == FNR { if (FNR > 1) m[$1] = $6; next } FNR > 1 && m[$2] != m[$3] { bad++ } END { print "pairs across strata:", bad + 0 }' \
  "$DATA/lalonde.csv" pairs.csv
echo "audit rows: $(($(wc -l <audit.csv) - 1)) = $(jq '.audit.n_left_out' out.json)"
cut -d, -f3 audit.csv | sort | uniq -c
