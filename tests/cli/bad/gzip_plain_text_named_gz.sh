# class: gzip; a plain CSV named .gz is recognised by its content and read as text: a correct success
printf 'a,b\n1,2\n3,4\n' >p.csv.gz
"$ATTRIB" describe p.csv.gz --format csv -o out.csv
code=$?
cat out.csv
exit $code
