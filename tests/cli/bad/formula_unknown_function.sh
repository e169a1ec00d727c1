# class: formula syntax; log() (only factor() is supported): exit 2 naming the function
cp "$DATA/learners.csv" .
"$ATTRIB" ols learners.csv --formula 'sales ~ trained + log(tenure)' -o out.txt
code=$?
ls out.* 2>/dev/null || echo "no output file"
exit $code
