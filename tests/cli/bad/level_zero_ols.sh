# class: option range; ols --level 0: exit 2 naming the level and the value
cp "$DATA/learners.csv" .
"$ATTRIB" ols learners.csv --formula 'sales ~ trained' --level 0 -o out.txt
code=$?
ls out.* 2>/dev/null || echo "no output file"
exit $code
