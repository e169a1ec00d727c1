# class: flag combination; roi --from a fit with --by and --draws (the overall effect's draws, not the groups'): exit 2
cp "$DATA/learners.csv" .
"$ATTRIB" ols learners.csv --formula "sales ~ trained + tenure" --treat trained --by role -q --format json -o fit.json
printf 'replicate,estimate\n' >d.csv; for i in $(seq 1 20); do echo "$i,3.$i" >>d.csv; done
"$ATTRIB" roi --from fit.json --learners 500 --cost program=50000 --draws d.csv
