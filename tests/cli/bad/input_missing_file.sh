# class: unreadable input; psm on a file that does not exist: exit 1, cannot open: No such file or directory
"$ATTRIB" psm missing.csv --treat t --outcome y --covariates x -o out.json
code=$?
ls out.* 2>/dev/null || echo "no output file"
exit $code
