# class: perfect separation; quasi-complete separation by x (a tie at x = 3): exit 1 naming x
printf 'y,x,z\n0,1,3\n0,2,1\n0,3,4\n1,3,1\n1,5,5\n1,6,9\n' >s.csv
"$ATTRIB" logit s.csv --formula 'y ~ x' -o out.txt
code=$?
ls out.* 2>/dev/null || echo "no output file"
exit $code
