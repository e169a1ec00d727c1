# class: perfect separation; probit with complete separation: exit 1 naming the culprit
printf 'y,x,z\n0,1,3\n0,2,1\n0,3,4\n1,4,1\n1,5,5\n1,6,9\n' >s.csv
"$ATTRIB" logit s.csv --formula 'y ~ x + z' --link probit -o out.txt
code=$?
ls out.* 2>/dev/null || echo "no output file"
exit $code
