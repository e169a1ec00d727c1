"$ATTRIB" logit d.csv --formula "y ~ x" --link cloglog
