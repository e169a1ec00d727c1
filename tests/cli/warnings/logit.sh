# logit: IRLS stopped by --max-iter names --max-iter; few clusters name the
# linear probability model's wild cluster bootstrap in ols, which has no
# warning left once it ran
w() { out=$("$@" 2>&1 | grep "^Warning:"); echo "${out:-(no warning)}"; }
b="$DATA/../../reference/bootstrap/boot_data.csv"
w "$ATTRIB" logit "$b" --formula "trained ~ prior_perf + engagement" --max-iter 1
echo "with --max-iter 50:"
w "$ATTRIB" logit "$b" --formula "trained ~ prior_perf + engagement" --max-iter 50
w "$ATTRIB" logit "$b" --formula "trained ~ prior_perf + engagement" --cluster team
echo "ols --bootstrap 999 --boot-type wild:"
w "$ATTRIB" ols "$b" --formula "trained ~ prior_perf + engagement" --cluster team --treat prior_perf --bootstrap 999 --boot-type wild
