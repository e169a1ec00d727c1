printf 'y,x\n0,1.2\n3,2.1\n1,3.4\n' > d.csv
"$ATTRIB" logit d.csv --formula "y ~ x"
