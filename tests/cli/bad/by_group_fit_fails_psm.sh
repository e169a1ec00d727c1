# class: subgroups; psm --by role with factor(region): exit 1, separation within Director, named
cp "$DATA/learners.csv" .
"$ATTRIB" psm learners.csv --treat trained --outcome sales --covariates "tenure,factor(region)" --by role -o out.txt
code=$?
ls out.* 2>/dev/null || echo "no output file"
exit $code
