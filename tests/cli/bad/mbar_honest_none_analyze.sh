# class: usage; analyze --mbar with --honest none (values for bounds that are not computed): exit 2, no report
cp "$DATA/../../../datasets/panel_sample.csv" p.csv
"$ATTRIB" analyze p.csv --outcome sales --treat treated --unit learner_id --time period --cohort cohort \
  --covariates prior_perf --honest none --mbar 0,1 -o out.txt
code=$?
ls out.* 2>/dev/null || echo "no output file"
exit $code
