# sensitivity rosenbaum as text and JSON: the critical Gamma when there is
# one; when the test is not significant even at Gamma = 1 it says so, with
# critical_gamma null and significant_at_gamma_1 false (it printed "Critical
# Gamma 1.0000": issue 12); the break-even Gamma in words when no hidden bias
# is needed.
REF="$DATA/../../reference/sensitivity"
"$ATTRIB" sensitivity rosenbaum --pairs "$REF/lead.csv" --treated exposed --control control --gamma 1:5:1 --breakeven 8
printf 'a,b\n1,0\n0,1\n2,0\n3,0\n1,1.5\n' >weak.csv
"$ATTRIB" sensitivity rosenbaum --pairs weak.csv --treated a --control b --gamma 1,1.5 --breakeven 2
"$ATTRIB" sensitivity rosenbaum --pairs weak.csv --treated a --control b --gamma 1 --format json |
  jq -c '{critical_gamma, significant_at_gamma_1, p_gamma_1, critical_gamma_note}'
"$ATTRIB" sensitivity rosenbaum --pairs "$REF/lead.csv" --treated exposed --control control --gamma 1 --format json |
  jq -c '{critical_gamma, significant_at_gamma_1, has_note: has("critical_gamma_note")}'
