# class: missing column; 2x2 did --treat naming no column: exit 1 naming it as the treatment (--treat), not as a formula term the user never wrote
cp "$DATA/learners.csv" .
"$ATTRIB" did learners.csv --outcome sales --treat traind --post remote -o out.json
code=$?
ls out.* 2>/dev/null || echo "no output file"
exit $code
