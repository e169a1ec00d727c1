# class: usage; analyze --honest sd without --m (smoothness has no default bound, as in did): exit 2 before the data is read, no report
cp "$DATA/../../../datasets/panel_sample.csv" p.csv
"$ATTRIB" analyze p.csv --outcome sales --treat treated --unit learner_id --time period --cohort cohort \
  --covariates prior_perf --honest sd -o out.txt
code=$?
ls out.* 2>/dev/null || echo "no output file"
exit $code
