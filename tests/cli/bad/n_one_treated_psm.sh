# class: n < k; psm on 3 rows with a single treated unit: exit 1, no standard error exists
printf 'y,t,x\n1,0,2\n2,1,3\n3,0,5\n' >d.csv
"$ATTRIB" psm d.csv --treat t --outcome y --covariates x -o out.json
code=$?
ls out.* 2>/dev/null || echo "no output file"
exit $code
