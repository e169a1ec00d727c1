# class: number syntax; 'nan' in the outcome is a missing value: the row is dropped and counted, a correct success
printf 'y,x\n1,2\n2,3.5\n3,5\n4,6.1\n5,9\nnan,4\n' >n.csv
"$ATTRIB" ols n.csv --formula 'y ~ x' --format json -o out.json
code=$?
jq -c '{n_obs, dropped: .dropped.missing}' out.json
exit $code
