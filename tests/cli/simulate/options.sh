# The options the recovery benchmark needs (benchmarks/recovery/), each with
# its truth: the treated share, effect heterogeneity (ATT > ATE), a single
# adoption date, a pre-trend, the number of teams, poor overlap, a null
# effect; and the true ROI at the true ATT with the trained as learners;
# what each method estimates (targets: OLS is not the ATT with heterogeneous
# effects, nor TWFE with staggered adoption, nor DiD with a pre-trend).
# (issue 12, defect 11: the help and the truth say what --effect plants.)
"$ATTRIB" simulate --help | sed -n '/--effect E/,/--treated-share/p'
roi="--value-per-unit 100 --horizon 12 --cost-per-learner 1500"
run() { "$ATTRIB" simulate --rows 2000 --seed 7 -q -o d.csv --truth t.json $roi "$@" &&
  jq -c '{att, ate, n_treated, treated_share, roi: .roi.roi_pct, groups: [.group_size[]?.group]}' t.json
  jq -c '.targets | map_values(.[0:40])' t.json; }
run
run --treated-share 0.5 --heterogeneity 0.5
run --selection 3
run --effect 0
run --teams 12 && echo "teams: $(tail -n +2 d.csv | cut -d, -f2 | sort -u | wc -l)"
run --design panel
run --design panel --adoption single --heterogeneity 0
run --design panel --adoption single --pretrend 0.3
jq -r '.effect_definition, .att_definition' t.json
"$ATTRIB" simulate --design panel --selection 2 2>&1 | head -1
"$ATTRIB" simulate --pretrend 1 2>&1 | head -1
"$ATTRIB" simulate --treated-share 1.2 2>&1 | head -1
"$ATTRIB" simulate --design panel --adoption weekly 2>&1 | head -1
