# did --stream: the 2x2 out of core prints the in-memory numbers (numdiff's relative 1e-11), with and
# without clusters and covariates; the JSON says "streamed": true
cp "$DATA/learners.csv" .
for v in "" "--cluster team" "--covariates tenure,factor(role)"; do
  "$ATTRIB" did learners.csv --outcome sales --treat trained --post remote $v --format json > mem.json
  "$ATTRIB" did learners.csv --outcome sales --treat trained --post remote $v --format json --stream --chunk-rows 99 > st.json
  grep -c '"streamed": true' st.json
  grep -v '"streamed"' st.json > st2.json
  if "$ATTRIB_NUMDIFF" mem.json st2.json; then echo "${v:-hc1}: same"; else echo "${v:-hc1}: DIFFERENT"; fi
done
"$ATTRIB" did learners.csv --outcome sales --treat trained --post remote --cluster team --stream
