# class: needs the table in memory; ols --stream from standard input (read once only): exit 2
"$ATTRIB" ols - --formula "sales ~ trained" --stream -o out.txt < "$DATA/learners.csv"
code=$?
ls out.* 2>/dev/null || echo "no output file"
exit $code
