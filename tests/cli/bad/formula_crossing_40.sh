# class: formula limits; a 40-way crossing v0*...*v39 (2^40 terms; 18 took a minute): exit 2 at once, expands to more than 4096 terms
printf 'y,x\n1,2\n' >d.csv
"$ATTRIB" ols d.csv --formula "y ~ $(seq -f 'v%g' 0 39 | paste -sd'*' -)" -o out.txt
code=$?
ls out.* 2>/dev/null || echo "no output file"
exit $code
