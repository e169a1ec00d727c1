# class: duplicate/empty header; an empty name in the header's second column: exit 1 naming line 1, column 2
printf 'a,,c\n1,2,3\n' >h.csv
"$ATTRIB" ols h.csv --formula 'a ~ c' -o out.txt
code=$?
ls out.* 2>/dev/null || echo "no output file"
exit $code
