# class: unreadable input; roi --from a fit whose by.groups[1] lost its effect.estimate: exit 1 naming the file and the group
cp "$DATA/learners.csv" .
"$ATTRIB" ols learners.csv --formula "sales ~ trained + tenure" --treat trained --by role -q --format json -o fit.json
jq 'del(.by.groups[1].effect.estimate)' fit.json >bad.json
"$ATTRIB" roi --from bad.json --learners 500 --cost program=50000
