# Count options take digits only and have documented maxima (docs/cli.md,
# "Limits"; issue 15): '-1', ' 3' and '+3' were read by strtoull (-1 as
# 18446744073709551615), and huge values started runs that could not end
# or sized arrays whose byte counts overflow.
L="$DATA/learners.csv"
e() { "$@" -q -o out.txt 2>&1 | head -1; echo "exit ${PIPESTATUS[0]}"; }
e "$ATTRIB" ols "$L" --formula 'sales ~ trained' --threads 5000
e "$ATTRIB" ols "$L" --formula 'sales ~ trained' --threads -1
e "$ATTRIB" ols "$L" --formula 'sales ~ trained' --threads ' 3'
e "$ATTRIB" ols "$L" --formula 'sales ~ trained' --threads +3
e "$ATTRIB" ols "$L" --formula 'sales ~ trained' --threads 99999999999999999999999
e "$ATTRIB" ols "$L" --formula 'sales ~ trained' --threads 1024
e "$ATTRIB" simulate --rows 1000000001
e "$ATTRIB" simulate --design panel --rows 10 --periods 100001
e "$ATTRIB" psm "$L" --treat trained --outcome sales --covariates tenure --ratio 1001
e "$ATTRIB" logit "$L" --formula 'trained ~ tenure' --max-iter 1000001
e "$ATTRIB" describe "$L" --max-levels 100000001
e "$ATTRIB" simulate --rows 10 --seed 18446744073709551615
e "$ATTRIB" simulate --rows 10 --seed 18446744073709551616
