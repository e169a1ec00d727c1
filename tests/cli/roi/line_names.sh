# A cost or benefit line's name must be UTF-8 text: a Latin-1 byte in a
# cost's name was dropped from the JSON's "costs" object with exit 0 (the
# total still counted it). UTF-8 names work in text and JSON.
"$ATTRIB" roi --effect 1 --learners 10 --value-per-unit 100 --cost $'caf\xe9=100' --format json -o out.json
echo "exit $?"; [ -e out.json ] && echo "out.json written" || echo "no output file"
"$ATTRIB" roi --effect 1 --learners 10 --value-per-unit 100 --cost x=1 --benefit $'tab\there=5'
echo "exit $?"
"$ATTRIB" roi --effect 1 --learners 10 --value-per-unit 100 --cost 'café=100' --format json | jq -c .costs
