# class: option range; simulate --effect 1e308 (data and a true ATT of inf with exit 0): exit 2 naming --effect and its range
"$ATTRIB" simulate --rows 100 --effect 1e308 -o out.csv
code=$?
ls out.* 2>/dev/null || echo "no output file"
exit $code
