gzip -c "$DATA/werfel.csv" > werfel.csv.gz
"$ATTRIB" describe werfel.csv.gz --max-levels 1
