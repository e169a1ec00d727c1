# class: usage; ols --from-stats with --formula: exit 2, the model is the files'
"$ATTRIB" ols --from-stats s.json --formula "y ~ x" -o out.txt
code=$?
ls out.* 2>/dev/null || echo "no output file"
exit $code
