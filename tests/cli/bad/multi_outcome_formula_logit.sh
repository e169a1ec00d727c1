# class: usage; a c(...) formula is for ols: logit fits one outcome
cp "$DATA/learners.csv" .
"$ATTRIB" logit learners.csv --formula "c(churned, trained) ~ tenure" -o out.txt
code=$?
ls out.* 2>/dev/null || echo "no output file"
exit $code
