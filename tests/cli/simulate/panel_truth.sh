"$ATTRIB" simulate --design panel --rows 200 --periods 8 --seed 3 -o panel.csv --truth truth.json --format json | head -8
wc -l < panel.csv
head -2 panel.csv
