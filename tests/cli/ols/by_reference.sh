# ols --by against R (tests/reference/by/make_by_reference.R): the fully
# interacted regression y ~ 0 + g + g:treat + g:x by lm with sandwich's
# vcovHC(HC1), vcovCL(~cl, HC1) with clusters spanning the groups, the iid
# vcov, and weights with clusters; the Wald F of equality written out in R
# (R b, (R V R')^-1) and the pairwise differences. Estimates to 1e-10
# absolute, SEs, F and p to 1e-8 relative (R wrote 15 digits).
ref="$REFERENCE/by/by_expected.csv"
data="$REFERENCE/by/by_data.csv"
for c in hc1 cluster iid weights_cluster; do
  case $c in
    hc1) flags="--vcov hc1" ;;
    cluster) flags="--cluster cl" ;;
    iid) flags="" ;;
    weights_cluster) flags="--cluster cl --weights w" ;;
  esac
  # shellcheck disable=SC2086
  "$ATTRIB" ols "$data" --formula "y ~ treat + x" --treat treat --by g $flags -q --format json >out.json
  grep "^$c," "$ref" | while IFS=, read -r _ what est se; do
    case $what in
      "effect "*) sel=".by.groups[] | select(.level == \"${what#effect }\") | .effect | [.estimate, .std_error]" ;;
      "diff "*) p=${what#diff }; sel=".by.differences[] | select(.level_b == \"${p%-*}\" and .level_a == \"${p#*-}\") | [.estimate, .std_error]" ;;
      "wald F") sel='.by.equality_test | [.statistic, .p_value]' ;;
    esac
    got=$(jq -r "$sel | @tsv" out.json)
    awk -v l="$c $what" -v g="$got" -v a="$est" -v s="$se" -v w="$what" 'BEGIN { split(g, v, "\t");
      if (w == "wald F") { da = (v[1] - a) / a } else { da = v[1] - a }
      if (da < 0) da = -da; ds = (v[2] - s) / s; if (ds < 0) ds = -ds
      tol = w == "wald F" ? 1e-8 : 1e-10
      print l ": " (g != "" && da <= tol && ds <= 1e-8 ? "ok" : "got " v[1] " " v[2] ", want " a " " s) }'
  done
done
jq -r '.by.equality_test | "test \(.test), df \(.df) and \(.df2)"' out.json
