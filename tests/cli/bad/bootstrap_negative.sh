# class: option range; ols --bootstrap -1 (read as 2^64-1 by strtoull once): exit 2 naming the flag and the value
cp "$DATA/learners.csv" .
"$ATTRIB" ols learners.csv --formula 'sales ~ trained' --treat trained --bootstrap -1 --seed 1 -o out.txt
code=$?
ls out.* 2>/dev/null || echo "no output file"
exit $code
