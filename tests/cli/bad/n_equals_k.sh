# class: n < k; 2 rows for 2 coefficients: exit 1, no residual degrees of freedom
printf 'y,x\n1,2\n3,5\n' >d.csv
"$ATTRIB" ols d.csv --formula 'y ~ x' -o out.txt
code=$?
ls out.* 2>/dev/null || echo "no output file"
exit $code
