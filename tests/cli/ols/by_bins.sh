# ols --by COL --by-cuts / --by-bins: the binned groups equal --by on the same
# bins written into the data (identical estimates and SEs), the levels read
# "N [lo, hi]", and --by-bins 4 cuts at the quartiles (R quantile type 7: 1.92, 3.38, 5.49;
# table(cut(tenure, c(-Inf, q, Inf))) gives 501, 500, 500, 499, the counts below).
cp "$DATA/learners.csv" .
"$ATTRIB" ols learners.csv --formula "sales ~ trained + prior_perf" --treat trained --by tenure --by-cuts 2,5 \
  --cluster team -q --format json >cuts.json
awk -F, -v OFS=, 'NR == 1 { print $0, "tb"; next } { print $0, ($5 <= 2 ? "a" : $5 <= 5 ? "b" : "c") }' learners.csv >b.csv
"$ATTRIB" ols b.csv --formula "sales ~ trained + prior_perf" --treat trained --by tb --cluster team -q --format json >tb.json
a=$(jq -c '[.by.groups[] | [.n, .effect.estimate, .effect.std_error]], .by.equality_test' cuts.json)
b=$(jq -c '[.by.groups[] | [.n, .effect.estimate, .effect.std_error]], .by.equality_test' tb.json)
[ "$a" = "$b" ] && echo "--by-cuts 2,5 equals the bins written into the data" || echo "differ: $a vs $b"
jq -r '.by.column, (.by.groups[] | .level)' cuts.json
"$ATTRIB" ols learners.csv --formula "sales ~ trained + prior_perf" --treat trained --by tenure --by-bins 4 -q \
  --format json >q.json
jq -r '.by.groups[] | "\(.level): \(.n) rows"' q.json
