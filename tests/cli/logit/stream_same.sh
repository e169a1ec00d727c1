# logit --stream (one pass over the file per Newton step) prints the in-memory fit's report, every
# digit of the text output but the iteration count (two iterative fits from different starts agree
# to about 1e-10: tests/unit/test_ols_stream.c compares every number); gzip streams too
cp "$DATA/learners.csv" .
gzip -c learners.csv > learners.csv.gz
f="trained ~ tenure + factor(role) + region + prior_perf"
for v in "--vcov iid" "--cluster team" "--vcov hc1" "--link probit"; do
  "$ATTRIB" logit learners.csv --formula "$f" $v | grep -v "iterations" > mem.txt
  "$ATTRIB" logit learners.csv.gz --formula "$f" $v --stream --chunk-rows 123 | grep -v "iterations" | sed 's/learners.csv.gz/learners.csv/' > st.txt
  if diff mem.txt st.txt >/dev/null; then echo "$v: same"; else echo "$v: DIFFERENT"; diff mem.txt st.txt; fi
done
"$ATTRIB" logit learners.csv --formula "$f" --stream --format json | grep '"streamed"'
