# class: gzip; a .gz whose one stored block promises 100 bytes and holds 35, cut inside a row: exit 1 saying the stream is truncated, not a ragged-row message
{ printf '\037\213\010\000\000\000\000\000\000\003\001\144\000\233\377'; printf 'id,score,team\n1,2.5,A\n2,3.5,B\n3,1.0'; } >t.csv.gz
"$ATTRIB" describe t.csv.gz -o out.txt
code=$?
ls out.* 2>/dev/null || echo "no output file"
exit $code
