# class: output target; psm --matches into a missing folder: exit 1 naming it, and -o out.json is not left behind either
cp "$DATA/learners.csv" .
"$ATTRIB" psm learners.csv --treat trained --outcome sales --covariates tenure -o out.json --matches missing/m.csv
code=$?
ls out.* 2>/dev/null || echo "no output file"
exit $code
