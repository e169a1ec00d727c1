# class: usage; --save-draws writes one outcome's draws: not with c(...)
cp "$DATA/learners.csv" .
"$ATTRIB" ols learners.csv --formula "c(sales, churned) ~ trained" --bootstrap 99 --save-draws d.csv -o out.txt
code=$?
ls out.* d.csv 2>/dev/null || echo "no output file"
exit $code
