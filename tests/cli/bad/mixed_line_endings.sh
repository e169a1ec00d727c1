# class: CR line endings; CRLF, LF and CR line ends mixed in one file: 3 rows read, a correct success
printf 'a,b\r\n1,2\n3,4\r5,6\r\n' >c.csv
"$ATTRIB" describe c.csv --format csv -o out.csv
code=$?
cat out.csv
exit $code
