printf 'y,x,g\n0,1.2,a\n1,2.1,a\n1,3.4,b\n0,2.2,b\n' > d.csv
"$ATTRIB" logit d.csv --formula "y ~ x | g"
