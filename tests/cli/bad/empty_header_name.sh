# class: duplicate/empty header; an empty name in the header's second column: the column is left out with a note naming it (--strict: exit 1 naming line 1, column 2)
printf 'a,,c\n1,2,3\n2,5,4\n4,1,9\n' >h.csv
"$ATTRIB" ols h.csv --formula 'a ~ c' --format json | jq -c '{n_obs, response}'
"$ATTRIB" ols h.csv --formula 'a ~ c' --strict -o out.txt
code=$?
ls out.* 2>/dev/null || echo "no output file"
exit $code
