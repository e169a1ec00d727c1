# class: collinear regressors; 2x2 did whose --post equals --treat (treat:post is collinear with treat): exit 1 saying treat:post would be the treatment itself
cp "$DATA/learners.csv" .
"$ATTRIB" did learners.csv --outcome sales --treat trained --post trained -o out.json
code=$?
ls out.* 2>/dev/null || echo "no output file"
exit $code
