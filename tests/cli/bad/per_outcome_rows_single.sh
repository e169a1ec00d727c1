# class: usage; --per-outcome-rows goes with several outcomes
cp "$DATA/learners.csv" .
"$ATTRIB" psm learners.csv --treat trained --outcome sales --covariates tenure --per-outcome-rows -o out.txt
code=$?
ls out.* 2>/dev/null || echo "no output file"
exit $code
