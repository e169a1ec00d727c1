printf 'y,x\n0,1.2\n0,2.1\n1,3.4\n1,4.8\n0,0.4\n1,6.1\n' > sep.csv
"$ATTRIB" logit sep.csv --formula "y ~ x"
