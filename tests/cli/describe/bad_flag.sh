"$ATTRIB" describe --frmat json data.csv
