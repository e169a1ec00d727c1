cp "$DATA/small.csv" .
"$ATTRIB" describe small.csv --categorical rol
