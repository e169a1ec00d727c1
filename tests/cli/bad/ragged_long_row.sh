# class: ragged rows; ols on a row with more fields than the header: exit 1 naming the file, the line and the field counts
printf 'y,x\n1,2\n2,3\n3,5,9\n4,4\n' >r.csv
"$ATTRIB" ols r.csv --formula 'y ~ x' -o out.txt
code=$?
ls out.* 2>/dev/null || echo "no output file"
exit $code
