# class: missing column; a formula outcome that does not exist: exit 1 naming it (outcome)
cp "$DATA/learners.csv" .
"$ATTRIB" ols learners.csv --formula 'sale ~ trained' -o out.txt
code=$?
ls out.* 2>/dev/null || echo "no output file"
exit $code
