# class: unterminated quote; a bare quote inside an unquoted field (x"y): exit 1 naming the line and column as a malformed quoted field
printf 'a,b\n1,x"y\n2,z\n' >q.csv
"$ATTRIB" describe q.csv -o out.txt
code=$?
ls out.* 2>/dev/null || echo "no output file"
exit $code
