# class: option range; ols --seed -1: exit 2, expects a non-negative whole number
cp "$DATA/learners.csv" .
"$ATTRIB" ols learners.csv --formula 'sales ~ trained' --treat trained --bootstrap 99 --seed -1 -o out.txt
code=$?
ls out.* 2>/dev/null || echo "no output file"
exit $code
