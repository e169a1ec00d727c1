# two-way clustering with 4 regions: the warning names one-way clustering by
# region with the wild bootstrap (which takes one clustering; two are refused)
w() { out=$("$@" 2>&1 | grep "^Warning:"); echo "${out:-(no warning)}"; }
b="$DATA/../../reference/bootstrap/boot_data.csv"
w "$ATTRIB" ols "$b" --formula "sales ~ trained + prior_perf" --cluster team,region --treat trained
"$ATTRIB" ols "$b" --formula "sales ~ trained + prior_perf" --cluster team,region --treat trained --bootstrap 999 --boot-type wild 2>&1 | head -1
echo "with --cluster region --bootstrap 999 --boot-type wild:"
w "$ATTRIB" ols "$b" --formula "sales ~ trained + prior_perf" --cluster region --treat trained --bootstrap 999 --boot-type wild
