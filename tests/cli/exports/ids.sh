# Identifier columns keep their text (issue 14): an id with leading zeros
# stays as written in psm's --matches (it was read as the number 171).
cp "$DATA"/../../data/exports/* . && E=.  # copies: messages name the file as given
"$ATTRIB" psm "$E/ids_zero.csv" --treat trained --outcome sales --covariates tenure --id employee_id --replace \
  --matches m.csv -q >/dev/null; echo "exit $?"
head -4 m.csv
# asked for as a number, it is one
"$ATTRIB" psm "$E/ids_zero.csv" --treat trained --outcome sales --covariates tenure --id employee_id --replace \
  --numeric employee_id --matches n.csv -q >/dev/null; echo "exit $?"
head -2 n.csv
