cp "$DATA/unterminated.csv" .
"$ATTRIB" describe unterminated.csv
