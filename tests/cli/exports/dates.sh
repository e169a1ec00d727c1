# A panel dated by calendar dates (issue 14): --time and --cohort holding
# dates are read as periods (--period month buckets them), and the
# Callaway-Sant'Anna estimate equals the one on the numbered periods the
# dates were made from; US, day-first and German dates too; a bad date names
# its cell and the format seen.
P="$DATA/../../../datasets/panel_sample.csv"
"$ATTRIB" did "$P" --outcome sales --unit learner_id --time period --cohort cohort --format json -q |
  jq -c '{estimate: .effect.estimate, se: .effect.std_error}'
# period p -> the 15th of month p of 2025; cohort c -> its month's 1st, 0 stays 0
awk -F, 'BEGIN { OFS = "," } NR == 1 { print; next }
  { $3 = sprintf("2025-%02d-15", $3); if ($4 != 0) $4 = sprintf("2025-%02d-01", $4); print }' "$P" >iso.csv
"$ATTRIB" did iso.csv --outcome sales --unit learner_id --time period --cohort cohort --period month --format json |
  jq -c '{estimate: .effect.estimate, se: .effect.std_error}'
awk -F, 'BEGIN { OFS = "," } NR == 1 { print; next }
  { $3 = sprintf("%02d/15/2025", $3); if ($4 != 0) $4 = sprintf("%02d/01/2025", $4); print }' "$P" >us.csv
"$ATTRIB" did us.csv --outcome sales --unit learner_id --time period --cohort cohort --period month --format json -q |
  jq -c '{estimate: .effect.estimate}'
awk -F, 'BEGIN { OFS = "," } NR == 1 { print; next }
  { $3 = sprintf("15.%02d.2025", $3); if ($4 != 0) $4 = sprintf("01.%02d.2025", $4); print }' "$P" >de.csv
"$ATTRIB" did de.csv --outcome sales --unit learner_id --time period --cohort cohort --period month --format json -q |
  jq -c '{estimate: .effect.estimate}'
# daily periods without --period: a cohort dated between two periods is treated from the next one, the same estimate
"$ATTRIB" did iso.csv --outcome sales --unit learner_id --time period --cohort cohort --format json -q | jq -c "{estimate: .effect.estimate}"
sed '5s/2025-/2025x/' iso.csv >bad.csv
"$ATTRIB" did bad.csv --outcome sales --unit learner_id --time period --cohort cohort --period month; echo "exit $?"
"$ATTRIB" did "$P" --outcome sales --unit learner_id --time period --cohort cohort --period month; echo "exit $?"
