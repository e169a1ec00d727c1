# class: encoding; an invalid UTF-8 byte in a column name: exit 1 naming line 1 and the column
printf 'y,\377x\n1,2\n2,3\n' >u.csv
"$ATTRIB" ols u.csv --formula 'y ~ x' -o out.txt
code=$?
ls out.* 2>/dev/null || echo "no output file"
exit $code
