# class: data; ols --from-stats with text where X'y's numbers belong: exit 1, one line naming the file and the key
printf '{"attrib_stats": 1, "model": "ols", "outcome": "y", "intercept": true, "terms": ["(Intercept)"],\n "n_input": 3, "n": 3, "sum_y": 6, "xtx": [3], "xty": ["6"]}\n' >s.json
"$ATTRIB" ols --from-stats s.json -o out.txt
code=$?
ls out.* 2>/dev/null || echo "no output file"
exit $code
