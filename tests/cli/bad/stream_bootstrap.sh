# class: needs the table in memory; ols --stream --bootstrap: exit 2
cp "$DATA/learners.csv" .
"$ATTRIB" ols learners.csv --formula "sales ~ trained" --treat trained --bootstrap 99 --stream -o out.txt
code=$?
ls out.* 2>/dev/null || echo "no output file"
exit $code
