"$ATTRIB" describe --format xml data.csv
