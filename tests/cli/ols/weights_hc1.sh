# Analytic weights: rows with weight <= 0 are dropped and counted.
printf 'y,x,w\n1.5,0.3,1\n2.7,1.1,2\n3.1,2.3,0.5\n4.6,2.9,0\n5.2,4.2,1.5\n6.9,5.1,1\n7.3,5.8,2\n' > d.csv
"$ATTRIB" ols d.csv --formula "y ~ x" --weights w --vcov hc1 --format json |
  jq -c '{n_obs, dropped, vcov: .vcov.type, b: (.coefficients[1].estimate * 1e8 | round / 1e8)}'
