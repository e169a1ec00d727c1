# class: usage; --vcov as the last argument: exit 2, option '--vcov' needs a value
cp "$DATA/learners.csv" .
"$ATTRIB" ols learners.csv --formula 'sales ~ trained' -o out.txt --vcov
code=$?
ls out.* 2>/dev/null || echo "no output file"
exit $code
