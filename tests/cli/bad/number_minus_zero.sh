# class: number syntax; '-0' in a regressor and as a weight is zero: a correct success (the row of weight -0 is dropped as a weight of 0)
printf 'y,x,w\n1,2,1\n2,3.5,1\n3,5,1\n4,6.1,1\n5,9,1\n6,-0,1\n7,4,-0\n' >n.csv
"$ATTRIB" ols n.csv --formula 'y ~ x' --weights w --format json -o out.json
code=$?
jq -c '{n_obs, dropped: .dropped.weight, x: [.coefficients[] | select(.term == "x") | .estimate | . * 1e6 | round]}' out.json
exit $code
