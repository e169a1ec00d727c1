# class: n < k; 3 rows for 5 coefficients: exit 1, no residual degrees of freedom, with the counts the user asked for
printf 'y,a,b,c,d\n1,2,3,4,5\n2,3,1,5,6\n3,5,2,2,1\n' >d.csv
"$ATTRIB" ols d.csv --formula 'y ~ a + b + c + d' -o out.txt
code=$?
ls out.* 2>/dev/null || echo "no output file"
exit $code
