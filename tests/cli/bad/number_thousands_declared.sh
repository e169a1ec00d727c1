# class: number syntax; "1,000" in a column declared --numeric: exit 1 naming line 3, column 2
printf 'y,x\n1,2\n2,"1,000"\n' >n.csv
"$ATTRIB" describe n.csv --numeric x -o out.txt
code=$?
ls out.* 2>/dev/null || echo "no output file"
exit $code
