# class: duplicate/empty header; a header and no data rows given to ols: exit 1 saying the file has no data rows
printf 'y,x\n' >h.csv
"$ATTRIB" ols h.csv --formula 'y ~ x' -o out.txt
code=$?
ls out.* 2>/dev/null || echo "no output file"
exit $code
