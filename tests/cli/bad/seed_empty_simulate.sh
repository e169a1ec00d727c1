# class: option range; simulate --seed '': exit 2, expects a non-negative whole number, got ''
"$ATTRIB" simulate --rows 100 --seed '' -o out.csv
code=$?
ls out.* 2>/dev/null || echo "no output file"
exit $code
