"$ATTRIB" simulate --design panel --rows 200 --periods 8 --seed 3 -o panel.csv --truth truth.json --format json |
  jq -c '{att, n_treated, never_treated, group_size, event_study: [.event_study[] | .att]}'
cmp -s truth.json <("$ATTRIB" simulate --design panel --rows 200 --periods 8 --seed 3 --format json -o p2.csv) && echo "report = truth file"
wc -l < panel.csv
head -2 panel.csv
