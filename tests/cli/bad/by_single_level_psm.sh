# class: subgroups; psm --by remote on the remote rows: exit 1, one level
cp "$DATA/learners.csv" .
awk -F, 'NR == 1 || $16 == 1' learners.csv >remote.csv
"$ATTRIB" psm remote.csv --treat trained --outcome sales --covariates tenure --by remote -o out.txt
code=$?
ls out.* 2>/dev/null || echo "no output file"
exit $code
