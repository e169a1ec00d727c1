# matched units left out by a caliper: the warning names a wider caliper or
# weighting
w() { out=$("$@" 2>&1 | grep "^Warning:"); echo "${out:-(no warning)}"; }
l="$DATA/lalonde.csv"
c="age,educ,race,married,nodegree,re74,re75"
w "$ATTRIB" psm "$l" --treat treat --outcome re78 --covariates "$c" --caliper 0.01
echo "with --caliper 2:"
w "$ATTRIB" psm "$l" --treat treat --outcome re78 --covariates "$c" --caliper 2
echo "with --method ipw:"
w "$ATTRIB" psm "$l" --treat treat --outcome re78 --covariates "$c" --method ipw
