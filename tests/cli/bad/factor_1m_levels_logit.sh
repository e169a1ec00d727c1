# class: 1M-level factor; factor(g) with 1,000,000 levels in logit: exit 1, too many columns, with advice logit can follow (logit takes no '|' fixed effects)
awk 'BEGIN { print "y,x,g"; for (i = 1; i <= 1000000; i++) printf "%d,%d,L%d\n", i % 2, i % 3, i }' >f.csv
"$ATTRIB" logit f.csv --formula 'y ~ x + factor(g)' -o out.txt
code=$?
ls out.* 2>/dev/null || echo "no output file"
exit $code
