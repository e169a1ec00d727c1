# A wide export (600 columns, a 1 MB text field) loads; --columns picks the
# few of interest in the order given, and a name that is not a column
# names the nearest one (issue 14).
awk 'BEGIN { for (j = 1; j <= 600; j++) printf "%sc%d", (j > 1 ? "," : ""), j; print ",note"
  for (i = 1; i <= 50; i++) { for (j = 1; j <= 600; j++) printf "%s%d", (j > 1 ? "," : ""), i * j; print ",x" }
  for (j = 1; j <= 600; j++) printf "%d,", j }' >wide.csv
head -c 1048576 /dev/zero | tr '\0' y >>wide.csv && echo >>wide.csv
"$ATTRIB" describe wide.csv --columns "c600,c1" --format csv
"$ATTRIB" describe wide.csv --format json | jq -c '{n_obs, n_columns, note_levels: .columns[600].n_levels}'
"$ATTRIB" describe wide.csv --columns "c6000"; echo "exit $?"
