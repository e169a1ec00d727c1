# class: number syntax; 1e400 (beyond double range) in a regressor: exit 1 naming the column, the cell and its line, never inf
printf 'y,x\n1,2\n2,3.5\n3,5\n4,6.1\n5,9\n6,1e400\n' >n.csv
"$ATTRIB" ols n.csv --formula 'y ~ x' -o out.txt
code=$?
ls out.* 2>/dev/null || echo "no output file"
exit $code
