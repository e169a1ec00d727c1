# class: data; ols --from-stats of normal equations alone: exit 1, standard errors need the residual pass
printf '{"attrib_stats": 1, "model": "ols", "outcome": "y", "intercept": true, "terms": ["(Intercept)", "x"],\n "n_input": 3, "n": 3, "sum_y": 6, "xtx": [3, 6, 14], "xty": [6, 14], "residuals": null}\n' >s.json
"$ATTRIB" ols --from-stats s.json -o out.txt
code=$?
ls out.* 2>/dev/null || echo "no output file"
exit $code
