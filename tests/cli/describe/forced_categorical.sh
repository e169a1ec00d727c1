cp "$DATA/small.csv" .
"$ATTRIB" describe small.csv --categorical joined,id --format csv
