# did with 10 clusters (issue 12, defect 10: did once refused the wild
# bootstrap its own warning recommended): 2x2, TWFE and the event study
w() { out=$("$@" 2>&1 | grep "^Warning:"); echo "${out:-(no warning)}"; }
r="$DATA/../../reference/did"
w "$ATTRIB" did "$r/did_wild_2x2.csv" --outcome y --treat treat --post post --cluster firm
echo "2x2 with --bootstrap 999 --boot-type wild:"
w "$ATTRIB" did "$r/did_wild_2x2.csv" --outcome y --treat treat --post post --cluster firm --bootstrap 999 --boot-type wild
w "$ATTRIB" did "$r/did_wild_panel.csv" --outcome y --unit unit --time period --cohort cohort --estimator twfe --cluster team
echo "twfe with --bootstrap 999:"
w "$ATTRIB" did "$r/did_wild_panel.csv" --outcome y --unit unit --time period --cohort cohort --estimator twfe --cluster team --bootstrap 999
w "$ATTRIB" did "$r/did_wild_panel.csv" --outcome y --unit unit --time period --cohort cohort --estimator twfe --cluster team --event-study
echo "the event study's action (--event-study dropped, --bootstrap 999) is the twfe case above"
echo "staggered adoption, with --estimator cs:"
w "$ATTRIB" did "$r/did_wild_panel.csv" --outcome y --unit unit --time period --cohort cohort --estimator cs --cluster team
