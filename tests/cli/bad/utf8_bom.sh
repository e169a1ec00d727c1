# class: encoding; a UTF-8 BOM before the header is skipped (the first column is 'a', not '\xEF\xBB\xBFa'): a correct success
printf '\357\273\277a,b\n1,2\n3,4\n' >u.csv
"$ATTRIB" describe u.csv --format csv -o out.csv
code=$?
cat out.csv
exit $code
