# class: needs the table in memory; logit --stream --treat (the average marginal effect averages over rows): exit 2
cp "$DATA/learners.csv" .
"$ATTRIB" logit learners.csv --formula "trained ~ tenure" --treat tenure --stream -o out.txt
code=$?
ls out.* 2>/dev/null || echo "no output file"
exit $code
