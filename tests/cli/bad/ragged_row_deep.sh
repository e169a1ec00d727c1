# class: ragged rows; a ragged row at line 600,002 of a 1,000,001-line file (past the reader's first chunk, 4 threads): exit 1 with that exact line
awk 'BEGIN { print "y,x"; for (i = 1; i <= 600000; i++) printf "%d,%d\n", i % 7, i % 5; print "3,4,5";
             for (i = 1; i <= 400000; i++) printf "%d,%d\n", i % 7, i % 5 }' >r.csv
"$ATTRIB" ols r.csv --formula 'y ~ x' --threads 4 --format json -o out.json
code=$?
ls out.* 2>/dev/null || echo "no output file"
exit $code
