# issue 15.6: inputs that used to give wrong results with exit 0 are refused
# up front: a treatment coded 0/2 (analyze noted "neither 0 nor 1: 601" and
# reported a per-unit effect half the size), a --cluster column that is not
# there (OLS "not estimated", matching and AIPW unclustered), a level
# outside (0, 1) ("200% intervals"; 95 is not read as 95%: the level is a
# probability, as in every other command).
cp "$DATA/../../../datasets/learners_sample.csv" learners.csv
S=learners.csv
C="prior_perf,engagement,tenure"
awk -F, 'BEGIN { OFS = "," } NR > 1 && $17 == 1 { $17 = 2 } { print }' "$S" >t02.csv
"$ATTRIB" analyze t02.csv --outcome sales --treat trained --covariates "$C" -q; echo "exit $?"
"$ATTRIB" analyze "$S" --outcome sales --treat trained --covariates "$C" --cluster teem -q; echo "exit $?"
"$ATTRIB" analyze "$S" --outcome sales --treat trained --covariates "$C" --level 2 -q; echo "exit $?"
"$ATTRIB" analyze "$S" --outcome sales --treat trained --covariates "$C" --level 95 -q; echo "exit $?"
"$ATTRIB" analyze "$S" --outcome sales --treat trained --covariates "$C" --primary iv -q 2>&1 | head -1
