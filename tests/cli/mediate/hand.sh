# six learners worked by hand (tests/unit/test_mediate.c): a = 7/3, b = 6/5, c = 13/15,
# ACME = ab = 2.8, total = 11/3, share mediated 42/55 = 0.763636..., rho at ACME = 0: 3/sqrt(10) = 0.948683
printf 't,m,y\n0,1,2\n0,2,3\n0,3,5\n1,3,6\n1,4,6\n1,6,9\n' >hand.csv
"$ATTRIB" mediate hand.csv --treat t --mediator m --outcome y --sims 100 --format json |
  awk '/"(acme|ade|total_effect|prop_mediated)": \{/ { k = $1 } /"estimate"/ && k { print k, $2; k = "" } /"rho_at_zero"/ { print }'
