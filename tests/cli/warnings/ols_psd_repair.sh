# a two-way cluster covariance repaired to be positive semi-definite: the
# warning names one-way clustering, after which there is no repair (8
# regions: the few-clusters warning follows, with its own action)
w() { out=$("$@" 2>&1 | grep "^Warning:"); echo "${out:-(no warning)}"; }
l="$DATA/learners.csv"
w "$ATTRIB" ols "$l" --formula "sales ~ trained + tenure" --cluster role,region
echo "with --cluster region:"
w "$ATTRIB" ols "$l" --formula "sales ~ trained + tenure" --cluster region
