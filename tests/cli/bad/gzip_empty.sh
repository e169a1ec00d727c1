# class: gzip; a valid gzip of nothing: exit 1, empty file (a header row is required)
printf '' | gzip -n >e.csv.gz
"$ATTRIB" describe e.csv.gz -o out.txt
code=$?
ls out.* 2>/dev/null || echo "no output file"
exit $code
