# class: duplicate/empty header; psm on an empty file: exit 1, a header row is required
: >e.csv
"$ATTRIB" psm e.csv --treat t --outcome y --covariates x -o out.json
code=$?
ls out.* 2>/dev/null || echo "no output file"
exit $code
