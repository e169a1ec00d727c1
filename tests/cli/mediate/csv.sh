# one row per quantity
cp "$REFERENCE/mediation/mediation_data.csv" .
"$ATTRIB" mediate mediation_data.csv --treat t --mediator m --outcome y \
  --covariates x1 --sims 100 --level 0.9 --format csv
