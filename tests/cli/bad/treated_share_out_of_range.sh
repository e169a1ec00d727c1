# class: option range; simulate --treated-share 1.5: exit 2, must lie in [0.01, 0.99]
"$ATTRIB" simulate --rows 100 --treated-share 1.5 -o out.csv
code=$?
ls out.* 2>/dev/null || echo "no output file"
exit $code
