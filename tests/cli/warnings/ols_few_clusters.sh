# ols, 8 clusters: the few-clusters warning names the wild cluster bootstrap,
# which settles it; a cluster (pairs) bootstrap does not.
w() { out=$("$@" 2>&1 | grep "^Warning:"); echo "${out:-(no warning)}"; }
b="$DATA/../../reference/bootstrap/boot_data.csv"
w "$ATTRIB" ols "$b" --formula "sales ~ trained + prior_perf" --cluster team --treat trained
echo "with --bootstrap 999 --boot-type cluster:"
w "$ATTRIB" ols "$b" --formula "sales ~ trained + prior_perf" --cluster team --treat trained --bootstrap 999 --boot-type cluster
echo "with --bootstrap 999 --boot-type wild:"
w "$ATTRIB" ols "$b" --formula "sales ~ trained + prior_perf" --cluster team --treat trained --bootstrap 999 --boot-type wild
echo "json: the warnings array and standard error agree"
"$ATTRIB" ols "$b" --formula "sales ~ trained + prior_perf" --cluster team --treat trained --bootstrap 999 --format json 2>err.txt | jq -c .warnings
cat err.txt
