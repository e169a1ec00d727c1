# class: needs the table in memory; ols --stream with absorbed fixed effects: exit 2, says how much memory
cp "$DATA/learners.csv" .
"$ATTRIB" ols learners.csv --formula "sales ~ trained | team" --stream -o out.txt
code=$?
ls out.* 2>/dev/null || echo "no output file"
exit $code
