# Ties broken by the unit id, never by row order: the Lalonde PSID controls
# have exact score ties, yet shuffling the rows leaves the matches unchanged.
# The propensity model's sums run in row order, so scores, distances and SEs
# may move in the last bits: pairs are compared exactly on (set members,
# weight), the effect to 1e-12 relative.
head -1 "$DATA/lalonde.csv" >shuffled.csv
tail -n +2 "$DATA/lalonde.csv" | awk '{ printf "%08d,%s\n", (NR * 7919) % 10007, $0 }' | sort | cut -d, -f2- >>shuffled.csv
cmp -s shuffled.csv "$DATA/lalonde.csv" && echo "the shuffle did nothing"
for f in "$DATA/lalonde.csv" shuffled.csv; do
  for r in "" --replace; do
    "$ATTRIB" psm "$f" --treat treat --outcome re78 --id id --covariates "age,educ,race,married,nodegree,re74,re75" \
      $r --ratio 3 --matches "pairs$r.$(basename "$f")" -q --format json | jq -r '"\(.effect.estimate) \(.effect.std_error)"' >"effect$r.$(basename "$f")"
  done
done
for r in "" --replace; do
  paste -d' ' "effect$r.lalonde.csv" "effect$r.shuffled.csv" | awk -v l="effect${r:- without replacement}" '{
    for (i = 1; i <= 2; i++) { d = ($i - $(i + 2)) / $i; if (d < 0) d = -d; if (d > 1e-12) { print l ": differs: " $0; exit 1 } }
    print l ": same" }'
  cmp <(cut -d, -f2,3,5 "pairs$r.lalonde.csv" | sort) <(cut -d, -f2,3,5 "pairs$r.shuffled.csv" | sort) &&
    echo "pairs${r:- without replacement}: same ($(($(wc -l <"pairs$r.lalonde.csv") - 1)) pairs)"
done
