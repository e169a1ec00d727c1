# issue 18: analyze's next pilot is attrib power's on the same data. A cross-section: an RCT of 150
# learners from the data's SD and covariates' R2 (attrib power --from-data over the same file), at
# alpha 1 - level: the MDE, its SE, the inputs and the money (ROI at the MDE, break-even effect,
# learners to detect it) equal attrib power's exactly, and the power and the learners needed for the
# estimate's size equal attrib power --mde's. With --cluster a cluster-randomised pilot at the data's
# ICC and team size; on a one-date panel a did pilot at the window means' SD and pre/post
# correlation (= attrib power --design did with them); with staggered adoption or --no-pilot none,
# with the reason. The HTML report's pilot section carries the JSON's numbers.
cp "$DATA/../../../datasets/learners_sample.csv" l.csv
covs="prior_perf,engagement,tenure,factor(role)"
roi="--value-per-unit 100 --horizon 12 --cost-per-learner 500"
# shellcheck disable=SC2086
"$ATTRIB" analyze l.csv --outcome sales --treat trained --covariates "$covs" $roi -q --format json --report r.html >a.json
# shellcheck disable=SC2086
"$ATTRIB" power --design rct --n 150 --from-data l.csv --outcome sales --covariates "$covs" $roi --format json >p.json
k='{design, test, n, mde, effect_size, se, df, design_factor, inputs, baseline: (.baseline | del(.source)),
  mde_roi_pct, breakeven_effect, n_breakeven}'
[ "$(jq -c ".pilot | $k" a.json)" = "$(jq -c "$k" p.json)" ] && echo "pilot = attrib power --n 150: same" ||
  { echo "pilot differs:"; jq -c ".pilot | $k" a.json; jq -c "$k" p.json; }
E=$(jq '.pilot.effect | if . < 0 then -. else . end' a.json)
same() { [ "$2" = "$3" ] && echo "$1: same" || echo "$1: $2 vs $3"; }
same "power = attrib power --n 150 --mde E" "$(jq .pilot.power a.json)" \
  "$("$ATTRIB" power --design rct --n 150 --mde "$E" --from-data l.csv --outcome sales --covariates "$covs" --format json | jq .power)"
same "n_required = attrib power --mde E" "$(jq -c '.pilot | [.n_required, .n_required_treated_whole]' a.json)" \
  "$("$ATTRIB" power --design rct --mde "$E" --from-data l.csv --outcome sales --covariates "$covs" --format json |
     jq -c '[.n, .n_treated_whole]')"
jq -c '.pilot | {design, n, mde, effect, power, n_required, n_breakeven, note}' a.json
for k in mde power n_required n_breakeven; do
  html=$(grep -o "data-key=\"pilot_$k\" data-value=\"[^\"]*\"" r.html | sed 's/.*data-value="\(.*\)"/\1/')
  awk -v k="$k" -v a="$html" -v b="$(jq ".pilot.$k" a.json)" 'BEGIN { print k ": " (a != "" && a + 0 == b + 0 ? "page = json" : a " vs " b) }'
done
grep -o '<section id="pilot"><h2>[^<]*' r.html
# the text's block
# shellcheck disable=SC2086
"$ATTRIB" analyze l.csv --outcome sales --treat trained --covariates "$covs" $roi -q | sed -n '/^The next pilot/,$p'
# a cluster-randomised pilot of 300 at level 0.9 (alpha 0.1)
"$ATTRIB" analyze l.csv --outcome sales --treat trained --covariates "$covs" --cluster team --pilot-n 300 --level 0.9 \
  -q --format json >c.json
"$ATTRIB" power --design cluster --n 300 --alpha 0.1 --from-data l.csv --outcome sales --cluster team --covariates "$covs" \
  --format json >pc.json
k='{design, n, mde, se, df, design_effect, clusters, inputs}'
[ "$(jq -c ".pilot | $k" c.json)" = "$(jq -c "$k" pc.json)" ] && echo "cluster pilot = attrib power --design cluster: same" ||
  { echo "cluster pilot differs:"; jq -c ".pilot | $k" c.json; jq -c "$k" pc.json; }
jq -c '.pilot | {design, n, mde, icc: .inputs.icc, cluster_size: .inputs.cluster_size, alpha: .inputs.alpha}' c.json
# a panel with one adoption date: a did pilot at the window means' SD and correlation
"$ATTRIB" simulate --design panel --adoption single --rows 400 --seed 2 -q -o s.csv
"$ATTRIB" analyze s.csv --outcome sales --treat treated --covariates prior_perf --unit learner_id --time period \
  -q --format json >s.json
sd=$(jq .pilot.inputs.sd s.json) rho=$(jq .pilot.inputs.rho s.json)
same "did pilot = attrib power --design did --sd SD --rho RHO" "$(jq -c '.pilot | [.mde, .se, .df]' s.json)" \
  "$("$ATTRIB" power --design did --n 150 --sd "$sd" --rho "$rho" --format json | jq -c '[.mde, .se, .df]')"
jq -c '.pilot | {design, n, mde, sd: .inputs.sd, rho: .inputs.rho, learners: .baseline.n, power, n_required}' s.json
# the windows by awk (learner_id 1, period 3, sales 10; adoption at period 5 of 8): the pooled SD
# of the pre and post means, and their covariance over the pooled variance
awk -F, 'NR > 1 { if ($3 < 5) a[$1] += $10 / 4; else b[$1] += $10 / 4 }
  END { for (i in a) { n++; sa += a[i]; sb += b[i] } ma = sa / n; mb = sb / n
    for (i in a) { va += (a[i] - ma) ^ 2; vb += (b[i] - mb) ^ 2; c += (a[i] - ma) * (b[i] - mb) }
    p = (va + vb) / 2 / (n - 1); printf "by awk: sd %.10g rho %.10g\n", sqrt(p), c / (n - 1) / p }' s.csv
jq -r '.pilot | "by analyze: sd \(.inputs.sd) rho \(.inputs.rho)"' s.json | awk '{ printf "%s %s %s %.10g %s %.10g\n", $1, $2, $3, $4, $5, $6 }'
# staggered adoption, --no-pilot: none, with the reason
cp "$DATA/../../../datasets/panel_sample.csv" panel.csv
"$ATTRIB" analyze panel.csv --outcome sales --treat treated --covariates "prior_perf,tenure" --unit learner_id --time period \
  --cohort cohort --honest none -q --format json | jq -c '{pilot, pilot_note}'
"$ATTRIB" analyze l.csv --outcome sales --treat trained --covariates "$covs" --no-pilot -q --format json | jq -c '{pilot, pilot_note}'
# a pilot that cannot be planned (150 learners in teams of 250: not 3 clusters) leaves its reason; the study stands
"$ATTRIB" analyze l.csv --outcome sales --treat trained --covariates "prior_perf,tenure" --cluster region -q --format json |
  jq -c '{pilot, pilot_note, verdict: .headline.verdict}'
# a spec file sets them too: pilot_n = 90, no_pilot = true (a switch)
printf 'outcome = sales\ntreat = trained\ncovariates = prior_perf,tenure\npilot_n = 90\n' >s.ini
"$ATTRIB" analyze l.csv --spec s.ini -q --format json | jq -c '{n: .pilot.n}'
printf 'outcome = sales\ntreat = trained\ncovariates = prior_perf,tenure\nno_pilot = true\n' >s.ini
"$ATTRIB" analyze l.csv --spec s.ini -q --format json | jq -c '{pilot, pilot_note}'
