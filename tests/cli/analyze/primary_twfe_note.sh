# --primary twfe on a staggered panel: the note about TWFE under staggered
# adoption names a remedy analyze accepts (the did method as the primary);
# it named did's --estimator cs, which analyze refuses (issue 12, defect 10).
"$ATTRIB" simulate --design panel --rows 2000 --seed 3 -q -o p.csv
"$ATTRIB" analyze p.csv --outcome sales --treat treated --covariates "tenure,prior_perf" --unit learner_id \
  --time period --cohort cohort --primary twfe -q >out.txt
grep -o "note: staggered adoption.*" out.txt
grep -q -- "--estimator" out.txt && echo "names --estimator" || echo "names no flag analyze refuses"
