cp "$DATA/small.csv" .
"$ATTRIB" describe --format csv small.csv
