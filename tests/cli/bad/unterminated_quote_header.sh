# class: unterminated quote; a quote opened in the header's second column never closes: exit 1 naming line 1, column 2
printf 'a,"b\n1,2\n' >q.csv
"$ATTRIB" describe q.csv -o out.txt
code=$?
ls out.* 2>/dev/null || echo "no output file"
exit $code
