# class: unreadable input; a directory as logit's DATA: exit 1, is a directory
mkdir d.csv
"$ATTRIB" logit d.csv --formula 'y ~ x' -o out.txt
code=$?
ls out.* 2>/dev/null || echo "no output file"
exit $code
