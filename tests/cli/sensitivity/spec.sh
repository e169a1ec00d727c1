# Specification sweeps: every specification equals a separate run of the
# estimator with the same options (the sweep only organises the runs), the
# result does not depend on the thread count, and failed specifications are
# reported, not dropped.
L="$DATA/lalonde.csv"
C="age,educ,race,married,nodegree,re74,re75"
"$ATTRIB" sensitivity spec psm "$L" --treat treat --outcome re78 --id id --covariates "$C" \
  --vary caliper=0,0.1 --vary ratio=1,2 --vary covariates="age,educ,race|$C" --threads 2 --format json >s2.json
"$ATTRIB" sensitivity spec psm "$L" --treat treat --outcome re78 --id id --covariates "$C" \
  --vary caliper=0,0.1 --vary ratio=1,2 --vary covariates="age,educ,race|$C" --threads 1 --format json >s1.json
cmp -s s1.json s2.json && echo "threads 1 and 2: identical" || echo "threads 1 and 2: differ"
jq -r '.summary | "specs \(.n_specs), failed \(.n_failed)"' s2.json
n=0 bad=0
while read -r cal ratio covs est se; do
  flags=(--ratio "$ratio")
  [ "$cal" != 0 ] && flags+=(--caliper "$cal")
  got=$("$ATTRIB" psm "$L" --treat treat --outcome re78 --id id --covariates "$covs" "${flags[@]}" --format json -q |
        jq -r '"\(.effect.estimate) \(.effect.std_error)"')
  [ "$got" = "$est $se" ] || { bad=$((bad + 1)); echo "differs: $cal $ratio $covs: $got vs $est $se"; }
  n=$((n + 1))
done < <(jq -r '.specs[] | "\(.values.caliper) \(.values.ratio) \(.values.covariates) \(.estimate) \(.std_error)"' s2.json)
echo "psm specifications equal to separate runs: $((n - bad)) of $n"
P="$DATA/../../reference/did/did_panel.csv"
"$ATTRIB" sensitivity spec did "$P" --outcome sales --unit learner_id --time period --cohort cohort \
  --vary control=never,notyet --vary estimator=cs,twfe --format json >d.json
for ctl in never notyet; do
  a=$(jq -r --arg c "$ctl" '.specs[] | select(.values.control == $c and .values.estimator == "cs") | .estimate' d.json)
  b=$("$ATTRIB" did "$P" --outcome sales --unit learner_id --time period --cohort cohort --control "$ctl" --format json -q | jq .effect.estimate)
  [ "$a" = "$b" ] && echo "did $ctl: equal to a separate run" || echo "did $ctl: $a vs $b"
done
jq -r '.specs[] | select(.error) | "failed spec reported: \(.values | to_entries | map("\(.key)=\(.value)") | join(" ")): \(.error)"' d.json
"$ATTRIB" sensitivity spec psm "$L" --treat treat --outcome re78 --covariates "$C" --vary bogus=1,2 2>&1 | head -1
spec_err=$("$ATTRIB" sensitivity spec psm "$L" --treat treat --outcome re78 --covariates "$C" --vary caliper=0.1x 2>&1 | head -1); echo "$spec_err"
"$ATTRIB" sensitivity spec psm "$L" --treat treat --outcome re78 --id id --covariates "$C" --vary caliper=0.05:0.2:0.05 --format json | jq -r "\"range: \(.summary.n_specs) specifications, calipers \([.specs[].values.caliper] | join(\" \"))\""
