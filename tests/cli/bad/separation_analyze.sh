# class: perfect separation; analyze with a covariate that separates the groups (no overlap at all): the overlap check fails and the finding is inconclusive, not "clear" from an OLS extrapolation with an empty Checks section
cp "$DATA/learners.csv" .
awk -F, 'BEGIN { OFS = "," } NR == 1 { print $0 ",s"; next } { print $0 "," ($17 == 1 ? 100 + $9 : $9 - 100) }' learners.csv >s.csv
"$ATTRIB" analyze s.csv --outcome sales --treat trained --covariates s -o out.txt
code=$?
ls out.* 2>/dev/null || echo "no output file"
# the finding and the checks, which decide whether a reader trusts the estimate
grep -E '^Finding:|^  overlap ' out.txt
exit $code
