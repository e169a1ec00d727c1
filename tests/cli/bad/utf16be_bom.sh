# class: encoding; UTF-16 BE text with its BOM: converted to UTF-8 and read (issue 14); its one data row then leaves OLS no residual degrees of freedom: exit 1
printf '\376\377\000a\000,\000b\000\n\0001\000,\0002\000\n' >u.csv
"$ATTRIB" ols u.csv --formula 'a ~ b' -o out.txt
code=$?
ls out.* 2>/dev/null || echo "no output file"
exit $code
