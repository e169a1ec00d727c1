# psm --by (matching with replacement, the Abadie-Imbens SE) recovers an effect
# planted by role (attrib simulate --effect-by-role 1: 2 in Associate up to 7 in
# Director, 20000 learners, seed 7): every role's ATT within 3 SEs of its truth
# (--truth's by_role att), and the Wald test of equal effects rejects (p < 1e-6).
"$ATTRIB" simulate --rows 20000 --seed 7 --effect-by-role 1 --truth truth.json >h.csv
"$ATTRIB" psm h.csv --treat trained --outcome sales --covariates "prior_perf,engagement,tenure" --replace \
  --by role -q --format json >by.json
jq -r '.by_role[] | [.role, .att] | @tsv' truth.json | while IFS="$(printf '\t')" read -r role att; do
  jq -r ".by.groups[] | select(.level == \"$role\") | [.effect.estimate, .effect.std_error] | @tsv" by.json |
    awk -v r="$role" -v t="$att" '{ z = ($1 - t) / $2; if (z < 0) z = -z
      print r ": true " t ", " (z <= 3 ? "within 3 SEs" : "off by " z " SEs") }'
done
jq -r '.by.equality_test | if .p_value < 1e-6 then "planted: equality rejected (\(.test))" else "planted: not rejected, p \(.p_value)" end' by.json
