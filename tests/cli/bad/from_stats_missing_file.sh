# class: data; ols --from-stats of a file that is not there: exit 1, the file named
"$ATTRIB" ols --from-stats nosuch.json -o out.txt
code=$?
ls out.* 2>/dev/null || echo "no output file"
exit $code
