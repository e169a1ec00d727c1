"$ATTRIB" ols data.csv --formula "y ~ x" --vcov robust
