# class: unterminated quote; a quote opened at line 600,002 of a large file swallows the rest: exit 1 naming that line and column, not the end of the file
awk 'BEGIN { print "y,x"; for (i = 1; i <= 600000; i++) printf "%d,%d\n", i % 7, i % 5; print "3,\"4";
             for (i = 1; i <= 400000; i++) printf "%d,%d\n", i % 7, i % 5 }' >q.csv
"$ATTRIB" ols q.csv --formula 'y ~ x' -o out.txt
code=$?
ls out.* 2>/dev/null || echo "no output file"
exit $code
