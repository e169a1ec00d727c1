# class: missing column; ols --treat naming a term not in the model: exit 1 saying it is not a coefficient of the model
cp "$DATA/learners.csv" .
"$ATTRIB" ols learners.csv --formula 'sales ~ trained' --treat traind -o out.txt
code=$?
ls out.* 2>/dev/null || echo "no output file"
exit $code
