# class: missing column; a formula name in backquotes holding an escape sequence: exit 1 with the control byte shown as \x1b, never raw
printf 'y,x\n1,2\n2,3\n3,5\n' >d.csv
"$ATTRIB" ols d.csv --formula "$(printf 'y ~ `x\033[2J`')" -o out.txt
code=$?
ls out.* 2>/dev/null || echo "no output file"
exit $code
