# class: number syntax; "1,000" (quoted, with a thousands separator) in a regressor: exit 1 naming the cell and its line, never 1 or 1000
printf 'y,x\n1,2\n2,3.5\n3,5\n4,6.1\n5,9\n6,"1,000"\n' >n.csv
"$ATTRIB" ols n.csv --formula 'y ~ x' -o out.txt
code=$?
ls out.* 2>/dev/null || echo "no output file"
exit $code
