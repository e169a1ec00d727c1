# ols --stream (out of core) prints the numbers of the in-memory fit: every line of the JSON
# agrees to numdiff's relative 1e-11 but the solver and the "streamed" flag; gzip streams too
cp "$DATA/learners.csv" .
gzip -c learners.csv > learners.csv.gz
f="sales ~ trained + tenure + factor(role) + region"
for v in "--vcov iid" "--vcov hc1" "--cluster team" "--weights training_hours --vcov hc0"; do
  "$ATTRIB" ols learners.csv --formula "$f" $v --format json | grep -v '"solver"' > mem.json
  "$ATTRIB" ols learners.csv.gz --formula "$f" $v --format json --stream --chunk-rows 77 | grep -v '"solver"\|"streamed"' | sed 's/learners.csv.gz/learners.csv/' > st.json
  if "$ATTRIB_NUMDIFF" mem.json st.json; then echo "$v: same"; else echo "$v: DIFFERENT"; fi
done
"$ATTRIB" ols learners.csv --formula "$f" --cluster team --stream
"$ATTRIB" ols learners.csv --formula "$f" --max-memory 100K --format json | grep '"streamed"'
