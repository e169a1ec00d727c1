# class: gzip; a .gz whose CRC trailer is wrong: exit 1, not a valid gzip stream (incorrect data check)
printf 'a,b\n1,2\n3,4\n' >s.csv
{ gzip -nc s.csv | head -c -8; printf '\0\0\0\0\0\0\0\0'; } >c.csv.gz
"$ATTRIB" describe c.csv.gz -o out.txt
code=$?
ls out.* 2>/dev/null || echo "no output file"
exit $code
