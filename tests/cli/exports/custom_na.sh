# A code outside the default set: without --na the column is near-numeric
# and an estimator refuses it, naming the cells and their lines; with
# --na it is missing (and --na replaces the default words).
cp "$DATA"/../../data/exports/* . && E=.  # copies: messages name the file as given
"$ATTRIB" ols "$E/custom_na.csv" --formula "sales ~ tenure" -q; echo "exit $?"
"$ATTRIB" describe "$E/custom_na.csv" --na "n.a.,missing" --format csv
"$ATTRIB" ols "$E/custom_na.csv" --na "n.a.,missing" --formula "sales ~ tenure" --format json -q | jq -c '{n_obs, coef: [.coefficients[].term]}'
