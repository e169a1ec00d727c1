# class: perfect separation; logit where x > 3 predicts y exactly: exit 1 naming x and the split
printf 'y,x,z\n0,1,3\n0,2,1\n0,3,4\n1,4,1\n1,5,5\n1,6,9\n' >s.csv
"$ATTRIB" logit s.csv --formula 'y ~ x' -o out.txt
code=$?
ls out.* 2>/dev/null || echo "no output file"
exit $code
