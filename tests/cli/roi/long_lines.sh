# Fixed buffers that cut the user's input (issue 12, defect 5 audit): a
# --draws line over 255 bytes was read as two pieces, and a benefit's value
# past 500 bytes was cut (5____...___000 became 5); both are read whole.
pad=$(printf '%*s' 300 '' | tr ' ' 'x')
{ echo "label,estimate"; seq 1 99 | awk -v p="$pad" '{ print p "," ($1 - 50) / 10 + 12 }'; } >draws.csv
"$ATTRIB" roi --learners 100 --effect 12 --draws draws.csv --value-per-unit 40 --cost program=30000 --format json >r.json
echo "exit $?: $(jq -c '{roi_pct: (.roi_pct * 1e6 | round / 1e6), interval: [.roi_ci_low_pct, .roi_ci_high_pct] | map(. * 1e6 | round / 1e6)}' r.json)"
under=$(printf '%*s' 600 '' | tr ' ' '_')
"$ATTRIB" roi --learners 100 --effect 0 --productivity "5${under}000" --cost program=1000 --format json >b.json
echo "exit $?: benefit total $(jq '.benefit_total' b.json)"
