# A spec file sets a flag that takes no value with true or false (INI words
# or JSON booleans): per-outcome-rows = true is the command line's
# --per-outcome-rows exactly (the same JSON), false is no flag at all.
"$ATTRIB" simulate --rows 600 --seed 3 -q -o s.csv
awk -F, 'BEGIN { OFS = "," } NR > 1 && NR % 30 == 0 { $13 = "" } { print }' s.csv >c.csv
"$ATTRIB" analyze c.csv --outcome sales,calls_per_week --treat trained --covariates tenure,prior_perf --per-outcome-rows \
  --format json -o flag.json || exit 1
"$ATTRIB" analyze c.csv --outcome sales,calls_per_week --treat trained --covariates tenure,prior_perf \
  --format json -o none.json || exit 1
printf 'per-outcome-rows = true\n' >on.ini
printf '{"per_outcome_rows": true}\n' >on.json
printf '# off\nper_outcome_rows = no\n' >off.ini
printf '{"per-outcome-rows": false}\n' >off.json
for s in on.ini on.json off.ini off.json; do
  "$ATTRIB" analyze c.csv --outcome sales,calls_per_week --treat trained --covariates tenure,prior_perf --spec $s \
    --format json -o $s.out || exit 1
done
cmp on.ini.out flag.json && cmp on.json.out flag.json && cmp off.ini.out none.json && cmp off.json.out none.json || exit 1
cmp -s flag.json none.json && { echo "the switch changed nothing"; exit 1; }
grep -o '"rows": "[^"]*"' on.ini.out off.ini.out
# any other setting is the flag's value: by = role is --by role
printf 'by = role\n' >by.ini
"$ATTRIB" analyze c.csv --outcome sales --treat trained --covariates tenure,prior_perf --by role --format json \
  -o byflag.json || exit 1
"$ATTRIB" analyze c.csv --outcome sales --treat trained --covariates tenure,prior_perf --spec by.ini --format json \
  -o byspec.json || exit 1
cmp byflag.json byspec.json && grep -c '"level"' byspec.json
