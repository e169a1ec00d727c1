# heteroskedasticity-robust SEs with absorbed fixed effects: the warning
# names clustering by the fixed effect; taken, it is gone (80 teams: no
# few-clusters warning follows)
w() { out=$("$@" 2>&1 | grep "^Warning:"); echo "${out:-(no warning)}"; }
l="$DATA/learners.csv"
w "$ATTRIB" ols "$l" --formula "sales ~ trained + tenure | team" --vcov hc1
echo "with --vcov cluster --cluster team:"
w "$ATTRIB" ols "$l" --formula "sales ~ trained + tenure | team" --vcov cluster --cluster team
