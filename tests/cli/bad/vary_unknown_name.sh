# class: option range; sensitivity spec psm --vary bogus=1,2: exit 2 saying bogus is not a setting psm can vary and listing those it can
cp "$DATA/learners.csv" .
"$ATTRIB" sensitivity spec psm learners.csv --treat trained --outcome sales --covariates tenure --vary bogus=1,2 -o out.txt
code=$?
ls out.* 2>/dev/null || echo "no output file"
exit $code
