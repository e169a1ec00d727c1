# class: CR line endings; CR-only lines and a quote that never closes: exit 1 naming line 2, column 2
printf 'a,b\r1,"x\r2,y\r' >c.csv
"$ATTRIB" describe c.csv -o out.txt
code=$?
ls out.* 2>/dev/null || echo "no output file"
exit $code
