# class: gzip; a .gz that is a zip archive's header (not gzip): exit 1, binary data at line 1, column 1
printf 'PK\003\004\024\000\000\000\010\000' >z.csv.gz
"$ATTRIB" describe z.csv.gz -o out.txt
code=$?
ls out.* 2>/dev/null || echo "no output file"
exit $code
