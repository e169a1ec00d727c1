# --trim: units with a score outside [0.1, 0.9] are dropped and the score
# re-fitted (Crump et al. 2009). The result must equal an untrimmed run on
# the data with those rows removed (the rows come from --audit), to 1e-10.
cp "$DATA/lalonde.csv" .
C="age,educ,race,married,nodegree,re74,re75"
for m in "ipw --estimand ate" "ipw --estimand att" "aipw --estimand ate"; do
  "$ATTRIB" psm lalonde.csv --treat treat --outcome re78 --covariates "$C" --id id --method $m --trim 0.1 \
    --audit audit.csv --format json -o trimmed.json
  awk -F, 'NR == FNR { if (FNR > 1 && $3 == "trimmed") drop[$1] = 1; next } !($1 in drop)' audit.csv lalonde.csv >kept.csv
  "$ATTRIB" psm kept.csv --treat treat --outcome re78 --covariates "$C" --method $m --format json -o kept.json
  jq -r --slurpfile k kept.json --arg m "$m" '
    def rel(a; b): ((a - b) / b | fabs);
    "\($m): trimmed \(.counts.n_trimmed) (audit: \(.audit.trimmed)), kept \(.n_obs) = \($k[0].n_obs): " +
    (if rel(.effect.estimate; $k[0].effect.estimate) <= 1e-10 and rel(.effect.std_error; $k[0].effect.std_error) <= 1e-10
     then "same effect" else "differs: \(.effect.estimate) \($k[0].effect.estimate)" end)' trimmed.json
done
"$ATTRIB" psm lalonde.csv --treat treat --outcome re78 --covariates "$C" --trim 0.1; echo "exit $?"
"$ATTRIB" psm lalonde.csv --treat treat --outcome re78 --covariates "$C" --method ipw --trim 0.6; echo "exit $?"
