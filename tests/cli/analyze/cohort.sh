# Step 1 of analyze, the cohort: counts, missingness and baselines by group,
# checked against awk reading the same CSV (not attrib's loader): the
# treated and control counts, the outcome's and a covariate's means, one
# level's share, learners per panel cohort (counted by awk, learners not
# rows); and, on a small hand-made file, missing values and factor() of a
# numeric column (one row per distinct value).
S="$DATA/../../../datasets/learners_sample.csv"
"$ATTRIB" analyze "$S" --outcome sales --treat trained --covariates "tenure,factor(role)" --methods ols \
  --format json -q >a.json
# columns: role 4, tenure 5, trained 17, sales 19
awk -F, 'NR > 1 { n[$17]++; y[$17] += $19; t[$17] += $5; m[$17] += ($4 == "Manager") }
  END { printf "awk: treated %d control %d; sales %.6f %.6f; tenure %.6f %.6f; Manager %.6f %.6f\n",
        n[1], n[0], y[1] / n[1], y[0] / n[0], t[1] / n[1], t[0] / n[0], m[1] / n[1], m[0] / n[0] }' "$S"
jq -r '.cohort | "attrib: treated \(.n_treated) control \(.n_control); " +
  ([.variables[] | select(.name == "sales" or .name == "tenure" or .level == "Manager") |
    "\(if .level then .level else .name end) \(.mean_treated * 1e6 | round / 1e6) \(.mean_control * 1e6 | round / 1e6)"] | join("; "))' a.json
cat >m.csv <<'C'
y,t,x,g,k
1,1,2,a,3
2,1,,b,3
3,0,4,a,5
4,0,6,,3
5,0,8,b,5
6,,10,a,3
,1,1,b,5
8,1,3,a,5
9,0,5,b,3
10,1,7,a,3
11,0,9,b,5
C
"$ATTRIB" analyze m.csv --outcome y --treat t --covariates "x,g,factor(k)" --methods ols --format json -q >m.json
jq -c '.cohort | [.n_rows, .n_treated, .n_control, .n_treat_missing, .n_treat_other, .n_complete]' m.json
jq -r '.cohort.variables[] | "\(.name) \(.level) missing \(.n_missing): \(.mean_treated) \(.mean_control)"' m.json
P="$DATA/../../../datasets/panel_sample.csv"
"$ATTRIB" analyze "$P" --outcome sales --treat treated --covariates "tenure" --unit learner_id --time period \
  --cohort cohort --methods did --format json -q >p.json
awk -F, 'NR > 1 && !seen[$1]++ { c[$4 + 0]++ } END { for (k in c) print k, c[k] }' "$P" | sort -n | tr '\n' ' '; echo "(awk)"
jq -r '.cohort.panel | "0 \(.n_never_treated) " + ([.cohorts[] | "\(.cohort) \(.n_units)"] | join(" ")) + " (attrib)"' p.json
jq -c '.cohort | [.n_rows, .n_treated, .n_control]' p.json
