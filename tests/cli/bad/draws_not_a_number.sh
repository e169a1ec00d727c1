# class: number syntax; a --draws CSV with a draw of 1e400: exit 1 naming the file and line
printf 'replicate,estimate\n1,8.2\n2,8.5\n3,1e400\n' >d.csv
"$ATTRIB" roi --effect 8 --draws d.csv --learners 100 --cost p=500 -o out.txt
code=$?
ls out.* 2>/dev/null || echo "no output file"
exit $code
