# the JSON contract (acme, ade, total_effect, prop_mediated, rho_at_zero, sensitivity) without covariates
cp "$REFERENCE/mediation/mediation_data.csv" .
"$ATTRIB" mediate mediation_data.csv --treat t --mediator m --outcome y \
  --sims 100 --format json
