# class: subgroups; psm --method ipw --bootstrap --cluster remote --by role: exit 1, the clusters span the groups
cp "$DATA/learners.csv" .
"$ATTRIB" psm learners.csv --treat trained --outcome sales --covariates tenure --method ipw --bootstrap 99 --cluster remote --by role -o out.txt
code=$?
ls out.* 2>/dev/null || echo "no output file"
exit $code
