# class: option range; ols --bootstrap 18446744073709551615 (B*q overflowed): exit 2, at most 10000000
cp "$DATA/learners.csv" .
"$ATTRIB" ols learners.csv --formula 'sales ~ trained' --treat trained --bootstrap 18446744073709551615 --seed 1 -o out.txt
code=$?
ls out.* 2>/dev/null || echo "no output file"
exit $code
