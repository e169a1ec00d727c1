# the fixed effects not absorbed within --fe-max-iter: the warning names it
w() { out=$("$@" 2>&1 | grep "^Warning:"); echo "${out:-(no warning)}"; }
l="$DATA/learners.csv"
w "$ATTRIB" ols "$l" --formula "sales ~ trained | team + role + region" --fe-max-iter 1
echo "with --fe-max-iter 10000:"
w "$ATTRIB" ols "$l" --formula "sales ~ trained | team + role + region" --fe-max-iter 10000
