# class: CR line endings; an old-Mac file (CR only) with quoted fields, one holding a CR (a heap overflow before): read as 2 rows, the CR kept inside the field; a correct success
printf 'a,b\r1,"x"\r2,"y\rz"\r' >c.csv
"$ATTRIB" describe c.csv --format json -o out.json
code=$?
jq -c '[.n_obs, .columns[1].levels[].level]' out.json
exit $code
