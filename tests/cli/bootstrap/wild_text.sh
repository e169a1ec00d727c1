# The wild bootstrap's text (issue 12, defect 10): the WCR p-value beside the
# interval that agrees with it (test inversion), the unrestricted replicates'
# interval on its own line saying why it may differ, and no few-clusters
# warning once the wild bootstrap ran. A p-value with no replicate as extreme
# prints as "< 1/(B+1)" and is flagged in JSON (defect 11).
d="$DATA/../../reference/bootstrap/boot_data.csv"
"$ATTRIB" ols "$d" --formula "sales ~ trained + prior_perf + engagement" --cluster team --treat trained \
  --bootstrap 999 --seed 1 | sed -n '/^Effect/,$p'
echo "--- without --cluster, every row its own cluster, and a strong effect:"
"$ATTRIB" ols "$d" --formula "sales ~ trained + prior_perf + engagement" --treat prior_perf --bootstrap 999 \
  --boot-type wild --seed 1 | sed -n '/^Wild/,$p'
"$ATTRIB" ols "$d" --formula "sales ~ trained + prior_perf + engagement" --treat prior_perf --bootstrap 999 \
  --boot-type wild --seed 1 --format json | jq -c '.bootstrap | {p_value, p_value_bound, test_inversion, ci_replicates}'
echo "--- a resampling bootstrap with no replicate as extreme:"
"$ATTRIB" ols "$d" --formula "sales ~ trained + prior_perf + engagement" --treat prior_perf --bootstrap 999 --seed 1 \
  | grep '^Bootstrap'
