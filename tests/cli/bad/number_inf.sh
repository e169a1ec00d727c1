# class: number syntax; 'inf' in a regressor: exit 1 naming the cell and its line (inf is not data)
printf 'y,x\n1,2\n2,3.5\n3,5\n4,6.1\n5,9\n6,inf\n' >n.csv
"$ATTRIB" ols n.csv --formula 'y ~ x' -o out.txt
code=$?
ls out.* 2>/dev/null || echo "no output file"
exit $code
