# class: 1M-level factor; factor(g) with 1,000,000 levels in ols: exit 1 at once, too many columns, absorb it after '|'
awk 'BEGIN { print "y,x,g"; for (i = 1; i <= 1000000; i++) printf "%d,%d,L%d\n", i % 7, i % 3, i }' >f.csv
"$ATTRIB" ols f.csv --formula 'y ~ x + factor(g)' -o out.txt
code=$?
ls out.* 2>/dev/null || echo "no output file"
exit $code
