# class: duplicate/empty header; a blank line before the header is skipped and the header read as the header (it made the first data row the header): a correct success
printf '\ny,x\n1,2\n2,3\n3,5\n' >h.csv
"$ATTRIB" describe h.csv --format csv -o out.csv
code=$?
cat out.csv
exit $code
