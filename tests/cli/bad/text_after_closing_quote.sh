# class: unterminated quote; text after a closing quote ("x"y): exit 1 naming the line and column
printf 'a,b\n1,"x"y\n2,z\n' >q.csv
"$ATTRIB" describe q.csv --format json -o out.json
code=$?
ls out.* 2>/dev/null || echo "no output file"
exit $code
