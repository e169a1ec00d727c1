printf 'y,x,g\n1.5,1,A\n2.7,2,A\n3.1,3,A\n4.6,4,A\n' > d.csv
"$ATTRIB" ols d.csv --formula "y ~ x" --cluster g
