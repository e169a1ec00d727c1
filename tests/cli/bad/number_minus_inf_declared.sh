# class: number syntax; '-inf' in a column declared --numeric: exit 1 naming line and column
printf 'y,x\n1,2\n2,3.5\n3,-inf\n' >n.csv
"$ATTRIB" describe n.csv --numeric x --format csv -o out.csv
code=$?
ls out.* 2>/dev/null || echo "no output file"
exit $code
