# A caliper that leaves no treated unit, or a single one, matched names the
# caliper (issue 15.7: a single matched set used to end in "at least two
# matched sets are needed for a clustered SE"). The scores are continuous,
# so no exact tie survives a tiny caliper.
ref="$DATA/../../reference/matching/matching_data.csv"
for r in "" --replace; do
  for c in 1e-12 1e-5; do
    "$ATTRIB" psm "$ref" --treat treat --outcome y --score ps --caliper "$c" $r; echo "exit $?"
  done
done
