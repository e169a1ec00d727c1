# class: data; ols --from-stats whose X'X has too few numbers for its terms: exit 1, the count expected
printf '{"attrib_stats": 1, "model": "ols", "outcome": "y", "intercept": true, "terms": ["(Intercept)", "x"],\n "n_input": 3, "n": 3, "sum_y": 6, "xtx": [3, 6], "xty": [6, 14]}\n' >s.json
"$ATTRIB" ols --from-stats s.json -o out.txt
code=$?
ls out.* 2>/dev/null || echo "no output file"
exit $code
