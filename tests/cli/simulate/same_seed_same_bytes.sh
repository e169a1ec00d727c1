"$ATTRIB" simulate --rows 300 --seed 5 -o a.csv
"$ATTRIB" simulate --rows 300 --seed 5 -o b.csv --quiet
cmp a.csv b.csv && echo identical
"$ATTRIB" simulate --rows 300 --seed 6 -o c.csv --quiet
cmp -s a.csv c.csv || echo "different seed, different data"
head -3 a.csv
