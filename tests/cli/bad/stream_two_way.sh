# class: needs the table in memory; ols --stream with two cluster columns: exit 2
cp "$DATA/learners.csv" .
"$ATTRIB" ols learners.csv --formula "sales ~ trained" --cluster team,region --stream -o out.txt
code=$?
ls out.* 2>/dev/null || echo "no output file"
exit $code
