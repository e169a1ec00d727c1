# A column that is a copy of another is dropped and named, not fatal.
printf 'y,a,b,c\n1.5,1,2,2\n2.7,2,0.5,0.5\n3.1,3,1.5,1.5\n4.6,4,3.5,3.5\n5.2,5,0.25,0.25\n6.1,6,2.25,2.25\n' > d.csv
"$ATTRIB" ols d.csv --formula "y ~ a + b + c" --format json | jq -c '{dropped, c: .coefficients[3]}'
