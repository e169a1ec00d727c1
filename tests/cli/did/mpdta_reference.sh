# Callaway-Sant'Anna on the did package's mpdta (500 counties, 2003-2007,
# tests/data/mpdta.csv) against R did 2.5.1 (tests/reference/did/README-mpdta.md):
# the 12 ATT(g,t), the simple, group, calendar and dynamic aggregations, never-
# treated controls, no covariates, varying base period, analytic SEs.
# Estimates to 1e-10 absolute, SEs to 1e-8 relative (R printed 15 digits).
ref="$REFERENCE/did/mpdta_r_did.csv"
"$ATTRIB" did "$DATA/../../data/mpdta.csv" --outcome lemp --unit countyreal --time year \
  --cohort first.treat --control never -q --format json >out.json
tail -n +2 "$ref" | while IFS=, read -r file q att se; do
  case $q in
    effect) sel='.effect | [.estimate, .std_error]' ;;
    group_overall) sel=".aggregations.$q | [.att, .std_error]" ;;
    gt*) g=${q#gt }; sel=".group_time[] | select(.group == ${g% *} and .time == ${q##* }) | [.att, .std_error]" ;;
    group*) sel=".aggregations.group[] | select(.group == ${q#group }) | [.att, .std_error]" ;;
    time*) sel=".aggregations.calendar[] | select(.time == ${q#time }) | [.att, .std_error]" ;;
    event*) sel=".event_study[] | select(.event_time == ${q#event }) | [.att, .std_error]" ;;
  esac
  got=$(jq -r "$sel | @tsv" out.json)
  awk -v l="$file $q" -v g="$got" -v a="$att" -v s="$se" 'BEGIN { split(g, v, "\t");
    da = v[1] - a; if (da < 0) da = -da; ds = (v[2] - s) / s; if (ds < 0) ds = -ds
    print l ": " (g != "" && da <= 1e-10 && ds <= 1e-8 ? "att and se ok" : "got " v[1] " " v[2] ", want " a " " s) }'
done
