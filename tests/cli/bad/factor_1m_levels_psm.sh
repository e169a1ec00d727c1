# class: 1M-level factor; a psm covariate factor(g) with 1,000,000 levels: exit 1, too many columns, with advice psm can follow (it has no formula to put '| g' in)
awk 'BEGIN { print "y,t,g"; for (i = 1; i <= 1000000; i++) printf "%d,%d,L%d\n", i % 7, i % 2, i }' >f.csv
"$ATTRIB" psm f.csv --treat t --outcome y --covariates 'factor(g)' -o out.json
code=$?
ls out.* 2>/dev/null || echo "no output file"
exit $code
