cp "$DATA/lalonde.csv" .
"$ATTRIB" logit lalonde.csv --formula "treat ~ age + educ + race + married" --link probit --vcov hc1 --format json |
  jq -S 'def r: if type == "number" then (. * 1e6 | round / 1e6) else . end;
    {command, link, n_obs, converged, deviance: (.deviance|r), aic: (.aic|r), vcov, keys: (keys),
     coefficients: [.coefficients[] | map_values(r)]}'
