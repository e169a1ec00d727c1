# class: number syntax; 1e400 in a column declared --numeric: exit 1 naming line 7, column 2 ('x')
printf 'y,x\n1,2\n2,3.5\n3,5\n4,6.1\n5,9\n6,1e400\n' >n.csv
"$ATTRIB" describe n.csv --numeric x -o out.txt
code=$?
ls out.* 2>/dev/null || echo "no output file"
exit $code
