# class: output target; simulate --truth into a missing folder: exit 1 naming it, and the data file -o out.csv is not written
"$ATTRIB" simulate --rows 100 --truth missing/t.json -o out.csv
code=$?
ls out.* 2>/dev/null || echo "no output file"
exit $code
