# ols --stream --stats-out on two parts of a file (teams split by parity, so
# that each cluster lies in one part), merged by --from-stats in the two
# rounds of docs/scale.md ("Feeding the result back"): round 1's normal
# equations give the merged coefficients and iid SEs; round 2 (each part's
# residual pass at the merged coefficients, --coefficients-from) gives hc1
# and CR1. Each against the whole file's in-memory fit: estimates and SEs to
# 1e-10 relative.
src="$ATTRIB_SOURCE_DIR/datasets/learners_sample.csv"
col=$(head -1 "$src" | tr ',' '\n' | grep -nx team | cut -d: -f1)
awk -F, -v c="$col" 'NR == 1 || $c % 2 == 0' "$src" >a.csv
awk -F, -v c="$col" 'NR == 1 || $c % 2 == 1' "$src" >b.csv
F="sales ~ trained + tenure + factor(region) + engagement"
cmp_fit() { # label, whole-file flags, merged JSON
  "$ATTRIB" ols "$src" --formula "$F" $2 --format json -q | jq -r '.coefficients[] | [.term, .estimate, .std_error] | @tsv' >w.tsv
  jq -r '.coefficients[] | [.term, .estimate, .std_error] | @tsv' "$3" >m.tsv
  paste w.tsv m.tsv | awk -F'\t' -v l="$1" '{ d = ($2 - $5) / $2; s = ($3 - $6) / $3; if (d < 0) d = -d; if (s < 0) s = -s
    if ($1 != $4 || d > 1e-10 || s > 1e-10) { print l ": " $1 " " $2 " " $3 " vs " $4 " " $5 " " $6; bad = 1 } n++ }
    END { if (!bad && n) print l ": " n " coefficients ok" }'
}
for p in a b; do
  "$ATTRIB" ols $p.csv --stream --formula "$F" --cluster team --stats-out ${p}1.json -q >/dev/null || echo "round 1 $p failed"
done
"$ATTRIB" ols --from-stats a1.json b1.json --vcov iid --stats-out merged.json --format json -q >iid.json
cmp_fit "round 1, iid" "" iid.json
for v in "--vcov hc1" "--cluster team"; do
  for p in a b; do
    # shellcheck disable=SC2086
    "$ATTRIB" ols $p.csv --stream --formula "$F" $v --coefficients-from merged.json --stats-out ${p}2.json -q ||
      echo "round 2 $p failed"
  done
  "$ATTRIB" ols --from-stats a2.json b2.json --format json -q >r2.json 2>/dev/null
  cmp_fit "round 2, $v" "$v" r2.json
done
# one file: its statistics finish to its own streamed fit (Cholesky of X'X against the streamed QR)
"$ATTRIB" ols "$src" --stream --formula "$F" --cluster team --stats-out whole.json --format json -q >s.json
"$ATTRIB" ols --from-stats whole.json --format json -q 2>/dev/null >fs.json
cmp_fit "the whole file's statistics" "--cluster team" fs.json
# the part's note, and what the statistics cannot hold
"$ATTRIB" ols a.csv --stream --formula "$F" --cluster team --coefficients-from merged.json --stats-out a3.json
"$ATTRIB" ols a.csv --stream --formula "$F" --vcov hc3 --stats-out x.json
echo "exit $?"
printf 'y,x,x2\n1,1,2\n2,2,4\n3,3,6\n5,4,8\n4,5,10\n' >c.csv
"$ATTRIB" ols c.csv --stream --formula "y ~ x + x2" --stats-out x.json
echo "exit $?"
ls x.json 2>/dev/null || echo "no statistics file"
