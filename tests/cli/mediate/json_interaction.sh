# the R reference data (tests/reference/mediation) with the treatment x mediator interaction,
cp "$REFERENCE/mediation/mediation_data.csv" .
# bootstrap intervals: acme/ade for treated and control, no rho_at_zero (a warning says why)
"$ATTRIB" mediate mediation_data.csv --treat t --mediator m --outcome y \
  --covariates 'x1,factor(role)' --interaction --ci-method bootstrap --sims 200 --seed 2 --format json
