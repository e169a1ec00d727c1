# docs/scale.md's example statistics file ("Feeding the result back"), cut
# out of the page: --from-stats on it gives the CSV path's clustered fit of
# the same model (1e-10 relative), so the page's example is a working file.
awk '/^```json$/ { f = 1; next } f && /^```$/ { exit } f' "$ATTRIB_SOURCE_DIR/docs/scale.md" >doc.json
grep -q '"attrib_stats": 1' doc.json || echo "the example is no longer in docs/scale.md"
"$ATTRIB" ols --from-stats doc.json --format json -q |
  jq -r '.coefficients[] | [.term, .estimate, .std_error] | @tsv' >a.tsv
"$ATTRIB" ols "$ATTRIB_SOURCE_DIR/datasets/learners_sample.csv" --formula "sales ~ trained + tenure" --cluster team \
  --format json -q | jq -r '.coefficients[] | [.term, .estimate, .std_error] | @tsv' >b.tsv
paste a.tsv b.tsv | awk -F'\t' '{ d = ($2 - $5) / $5; s = ($3 - $6) / $6; if (d < 0) d = -d; if (s < 0) s = -s
  print $1 ": " ($1 == $4 && d <= 1e-10 && s <= 1e-10 ? "ok" : "got " $2 " " $3 ", want " $5 " " $6) }'
