# class: formula limits; 4,097 distinct variables: exit 2, more than 4096 distinct variables (the formula and caret lines are cut to 200 characters here)
printf 'y,x\n1,2\n' >d.csv
"$ATTRIB" ols d.csv --formula "y ~ $(seq -f 'z%g' 0 4096 | paste -sd+ -)" -o out.txt 2>err
code=$?
cut -c1-200 err >&2
ls out.* 2>/dev/null || echo "no output file"
exit $code
