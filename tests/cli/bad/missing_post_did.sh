# class: missing column; 2x2 did --post naming no column: exit 1 naming it as the post-period column (--post), not as a formula term
cp "$DATA/learners.csv" .
"$ATTRIB" did learners.csv --outcome sales --treat trained --post pst -o out.json
code=$?
ls out.* 2>/dev/null || echo "no output file"
exit $code
