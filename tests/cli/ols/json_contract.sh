# The JSON contract: keys, and numbers rounded to 8 significant digits
# (BLAS kernels may change the last bits between machines).
cp "$DATA/learners.csv" .
"$ATTRIB" ols learners.csv --formula "sales ~ trained + tenure + factor(role)" --vcov hc1 --treat trained --format json |
  jq -S 'def r: if type == "number" then (. * 1e6 | round / 1e6) else . end;
    {command, n_obs, df_resid, r_squared: (.r_squared|r), adj_r_squared: (.adj_r_squared|r), f_statistic: (.f_statistic|r),
     vcov, dropped, solver, warnings, effect: (.effect | map_values(r)),
     coefficients: [.coefficients[] | map_values(r)], keys: (keys)}'
