# class: missing column; --weights naming no column: exit 1 naming it (weights)
cp "$DATA/learners.csv" .
"$ATTRIB" ols learners.csv --formula 'sales ~ trained' --weights wt -o out.txt
code=$?
ls out.* 2>/dev/null || echo "no output file"
exit $code
