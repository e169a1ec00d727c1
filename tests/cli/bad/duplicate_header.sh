# class: duplicate/empty header; two columns named 'a': exit 1 naming both column positions
printf 'a,b,a\n1,2,3\n' >h.csv
"$ATTRIB" describe h.csv -o out.txt
code=$?
ls out.* 2>/dev/null || echo "no output file"
exit $code
