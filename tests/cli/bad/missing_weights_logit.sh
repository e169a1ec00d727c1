# class: missing column; logit --weights naming no column: exit 1 naming it (weights)
cp "$DATA/learners.csv" .
"$ATTRIB" logit learners.csv --formula 'churned ~ trained' --weights wt -o out.txt
code=$?
ls out.* 2>/dev/null || echo "no output file"
exit $code
