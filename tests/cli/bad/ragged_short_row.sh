# class: ragged rows; describe on a row with fewer fields than the header: exit 1 naming the file, the line and the field counts, no output file
printf 'id,score,team\n1,2.5,A\n2,3.5\n3,1.0,C\n' >r.csv
"$ATTRIB" describe r.csv -o out.txt
code=$?
ls out.* 2>/dev/null || echo "no output file"
exit $code
