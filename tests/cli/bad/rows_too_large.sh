# class: option range; simulate --rows 1000000001: exit 2, at most 1000000000
"$ATTRIB" simulate --rows 1000000001 -o out.csv
code=$?
ls out.* 2>/dev/null || echo "no output file"
exit $code
