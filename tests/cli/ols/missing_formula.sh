"$ATTRIB" ols data.csv
