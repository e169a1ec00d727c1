cp "$DATA/small.csv" .
"$ATTRIB" describe small.csv --numeric role
