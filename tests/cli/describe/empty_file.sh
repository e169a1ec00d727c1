: > empty.csv
"$ATTRIB" describe empty.csv
