"$ATTRIB" describe no_such_file.csv
