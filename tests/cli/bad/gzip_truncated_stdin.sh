# class: gzip; a gzip stream cut inside a row on standard input into ols: exit 1 naming <stdin>, the input is incomplete
{ printf '\037\213\010\000\000\000\000\000\000\003\001\144\000\233\377'; printf 'id,score,team\n1,2.5,A\n2,3.5,B\n3,1.0'; } |
  "$ATTRIB" ols - --formula 'score ~ id' -o out.txt
code=$?
ls out.* 2>/dev/null || echo "no output file"
exit $code
