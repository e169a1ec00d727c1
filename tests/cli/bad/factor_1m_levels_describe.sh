# class: 1M-level factor; describe a 1,000,000-level column: counted, a correct success
awk 'BEGIN { print "y,g"; for (i = 1; i <= 1000000; i++) printf "%d,L%d\n", i % 7, i }' >f.csv
"$ATTRIB" describe f.csv --format csv -o out.csv
code=$?
cat out.csv
exit $code
