# class: missing column; sensitivity ovb --benchmark naming no column: exit 1 (a data error, as ols --treat) naming it
cp "$DATA/learners.csv" .
"$ATTRIB" sensitivity ovb learners.csv --formula 'sales ~ trained + tenure' --treat trained --benchmark tenur -o out.txt
code=$?
ls out.* 2>/dev/null || echo "no output file"
exit $code
