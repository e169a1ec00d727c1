# class: formula syntax; an outcome listed twice in c(...)
cp "$DATA/learners.csv" .
"$ATTRIB" ols learners.csv --formula "c(sales, sales) ~ trained" -o out.txt
code=$?
ls out.* 2>/dev/null || echo "no output file"
exit $code
