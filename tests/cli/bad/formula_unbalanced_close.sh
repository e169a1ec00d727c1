# class: formula syntax; a ')' with no '(': exit 2, unexpected ')' with a caret under it
cp "$DATA/learners.csv" .
"$ATTRIB" logit learners.csv --formula 'churned ~ trained + tenure)' -o out.txt
code=$?
ls out.* 2>/dev/null || echo "no output file"
exit $code
