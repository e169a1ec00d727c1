# did's aggte against R did 2.5.1 (tests/reference/did/README-aggte.md): the
# simple, group, calendar and dynamic aggregations with their overall
# figures, and the min_e / max_e / balance_e windows, on the parity panel
# rebuilt from its formula. Estimates to 1e-10, SEs to 1e-8 relative.
ref="$DATA/../../reference/did/aggte_r_did.csv"
awk 'BEGIN { print "id,time,g,y"; for (id = 1; id <= 48; id++) for (t = 1; t <= 4; t++) {
  g = id <= 16 ? 3 : id <= 32 ? 4 : 0; tr = (g > 0 && t >= g) ? 0.8 + 0.2 * (t - g) + 0.03 * g : 0;
  printf "%d,%d,%d,%.17g\n", id, t, g, (id % 7) * 0.11 + t * 0.4 + tr + 0.02 * id * (t == 4) } }' >panel.csv
tail -n +2 "$ref" | while IFS=, read -r fx sc flags q att se; do
  # shellcheck disable=SC2086
  "$ATTRIB" did panel.csv --outcome y --unit id --time time --cohort g -q --format json $flags >out.json
  case $q in
    effect) sel='.effect | [.estimate, .std_error]' ;;
    dynamic | group_overall | calendar_overall) sel=".aggregations.$q | [.att, .std_error]" ;;
    group*) sel=".aggregations.group[] | select(.group == ${q#group }) | [.att, .std_error]" ;;
    time*) sel=".aggregations.calendar[] | select(.time == ${q#time }) | [.att, .std_error]" ;;
    event*) sel=".event_study[] | select(.event_time == ${q#event }) | [.att, .std_error]" ;;
  esac
  got=$(jq -r "$sel | @tsv" out.json)
  awk -v l="$fx $sc $q" -v g="$got" -v a="$att" -v s="$se" 'BEGIN { split(g, v, "\t");
    da = v[1] - a; if (da < 0) da = -da; ok = da <= 1e-10; msg = "att"
    if (s != "") { ds = (v[2] - s) / s; if (ds < 0) ds = -ds; ok = ok && ds <= 1e-8; msg = msg " and se" }
    else msg = msg " (R: se NA, attrib " (v[2] < 1e-12 ? "~0" : v[2]) ")"
    print l ": " (ok ? msg " ok" : "got " v[1] " " v[2] ", want " a " " s) }'
done
