# class: usage; ols --per-outcome-rows goes with a c(...) formula
cp "$DATA/learners.csv" .
"$ATTRIB" ols learners.csv --formula "sales ~ trained" --per-outcome-rows -o out.txt
code=$?
ls out.* 2>/dev/null || echo "no output file"
exit $code
