# A treatment exported as text (issue 14): without --treat-level every
# command names the values and the option; with it the treated value is 1
# and the rest 0, said in a note; the OLS effect equals the dummy's
# (trained = 1) fitted on a 0/1 copy of the column made by awk.
cp "$DATA"/../../data/exports/* . && E=.  # copies: messages name the file as given
"$ATTRIB" psm "$E/treat_text.csv" --treat group --outcome sales --covariates tenure,prior -q; echo "exit $?"
"$ATTRIB" psm "$E/treat_text.csv" --treat group --outcome sales --covariates tenure,prior --treat-level Trained -q; echo "exit $?"
"$ATTRIB" ols "$E/treat_text.csv" --formula "sales ~ group + tenure + prior" --treat group -q; echo "exit $?"
"$ATTRIB" ols "$E/treat_text.csv" --formula "sales ~ group + tenure + prior" --treat group --treat-level trained \
  --format json | jq -c '.effect | {estimate, std_error}'
awk -F, 'BEGIN { OFS = "," } NR > 1 { $2 = ($2 == "trained") } { print }' "$E/treat_text.csv" >coded.csv
"$ATTRIB" ols coded.csv --formula "sales ~ group + tenure + prior" --treat group --format json | jq -c '.effect | {estimate, std_error}'
"$ATTRIB" psm "$E/treat_text.csv" --treat group --outcome sales --covariates tenure,prior --treat-level trained \
  --replace --format json | jq -c '{estimate: .effect.estimate, treated: .counts.n_treated}'
"$ATTRIB" describe "$E/treat_text.csv" --treat-level trained; echo "exit $?"
