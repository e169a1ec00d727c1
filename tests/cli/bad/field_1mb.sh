# class: 1 MB field; a 1 MiB text field in a data row is read whole: a correct success (the levels' lengths are printed, not the level)
awk 'BEGIN { printf "a,b\n1,"; for (i = 0; i < 1048576; i++) printf "x"; printf "\n2,y\n" }' >f.csv
"$ATTRIB" describe f.csv --format json -o out.json
code=$?
jq -c '[.n_obs, (.columns[1].levels | map(.level | length))]' out.json
exit $code
