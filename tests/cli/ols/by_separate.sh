# ols --by: each group's estimate equals a separate fit on that group's rows
# (1e-10), with covariates, with absorbed fixed effects (crossed with the
# group) and with clusters; with HC0 and no fixed effect the groups' SEs
# equal the separate fits' too (the interacted X'X and meat are block
# diagonal and HC0 has no degrees-of-freedom factor); so are HC3's (the
# interacted model's leverages are the groups' own).
data="$REFERENCE/by/by_data.csv"
check() { # label, by-run json, level, separate-run json, what
  awk -v l="$1" -v a="$2" -v b="$3" 'BEGIN { d = a - b; if (d < 0) d = -d; s = b < 0 ? -b : b
    print l ": " (a != "" && d <= 1e-10 * (s > 1 ? s : 1) ? "equal" : "differ: " a " vs " b) }'
}
for spec in "y ~ treat + x;--vcov hc0" "y ~ treat + x;--vcov hc3" "y ~ treat + x | cl;--vcov hc1" "y ~ treat * x;--cluster cl" \
  "y ~ treat + x;--cluster cl --weights w"; do
  f=${spec%%;*}; flags=${spec##*;}
  # shellcheck disable=SC2086
  "$ATTRIB" ols "$data" --formula "$f" --treat treat --by g $flags -q --format json >by.json
  for lv in A B C; do
    awk -F, -v lv="$lv" 'NR == 1 || $4 == lv' "$data" >sub.csv
    # shellcheck disable=SC2086
    "$ATTRIB" ols sub.csv --formula "$f" --treat treat $flags -q --format json >one.json
    est=$(jq -r ".by.groups[] | select(.level == \"$lv\") | .effect.estimate" by.json)
    check "$f [$flags] $lv estimate" "$est" "$(jq -r .effect.estimate one.json)"
    n=$(jq -r ".by.groups[] | select(.level == \"$lv\") | .n" by.json)
    [ "$n" = "$(jq -r .n_obs one.json)" ] && echo "$f $lv n ok" || echo "$f $lv n $n vs $(jq -r .n_obs one.json)"
    if [ "$flags" = "--vcov hc0" ] || [ "$flags" = "--vcov hc3" ]; then
      se=$(jq -r ".by.groups[] | select(.level == \"$lv\") | .effect.std_error" by.json)
      check "$f [$flags] $lv SE" "$se" "$(jq -r .effect.std_error one.json)"
    fi
  done
done
