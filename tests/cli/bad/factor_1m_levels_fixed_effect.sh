# class: 1M-level factor; 1,000,000 singleton levels absorbed after '|': exit 1, every row is a singleton, nothing left to fit
awk 'BEGIN { print "y,x,g"; for (i = 1; i <= 1000000; i++) printf "%d,%d,L%d\n", i % 7, i % 3, i }' >f.csv
"$ATTRIB" ols f.csv --formula 'y ~ x | g' -o out.txt
code=$?
ls out.* 2>/dev/null || echo "no output file"
exit $code
