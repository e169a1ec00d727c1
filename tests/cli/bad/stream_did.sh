# class: needs the table in memory; did --stream (Callaway-Sant'Anna with covariates and the panels): exit 2
cp "$DATA/learners.csv" .
"$ATTRIB" did learners.csv --outcome sales --unit learner_id --time team --cohort region --covariates tenure --stream -o out.txt
code=$?
ls out.* 2>/dev/null || echo "no output file"
exit $code
