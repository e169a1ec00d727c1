# class: unterminated quote; describe on a quoted field that never closes: exit 1 naming the line and column where the quote opened
printf 'id,note\n1,"fine"\n2,"never closed\n3,x\n' >q.csv
"$ATTRIB" describe q.csv -o out.txt
code=$?
ls out.* 2>/dev/null || echo "no output file"
exit $code
