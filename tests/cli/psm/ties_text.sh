# Matching with replacement on Lalonde, whose PSID controls repeat covariate
# rows: the report says how many sets keep tied controls (all kept, each
# weighted 1/set size), and --tie-tolerance (Matching's distance.tolerance)
# takes more. Bad tolerances are refused.
cp "$DATA/lalonde.csv" .
C="age,educ,race,married,nodegree,re74,re75"
# (the balance table is left out: sums of 1/3-weights leave 1e-17 rounding in
# some exact zeros, which other compilers may print differently)
"$ATTRIB" psm lalonde.csv --treat treat --outcome re78 --id id --covariates "$C" --replace --ps-known | sed '/^Balance/,$d'
"$ATTRIB" psm lalonde.csv --treat treat --outcome re78 --id id --covariates "$C" --replace --ps-known --tie-tolerance 1e-5 |
  sed -n '/^Matches/p;/^ATT/p'
"$ATTRIB" psm lalonde.csv --treat treat --outcome re78 --id id --covariates "$C" --tie-tolerance 1e-5; echo "exit $?"
"$ATTRIB" psm lalonde.csv --treat treat --outcome re78 --id id --covariates "$C" --replace --tie-tolerance -1; echo "exit $?"
"$ATTRIB" psm lalonde.csv --treat treat --outcome re78 --id id --covariates "$C" --replace --tie-tolerance x; echo "exit $?"
"$ATTRIB" psm lalonde.csv --treat treat --outcome re78 --id id --covariates "$C" --method ipw --tie-tolerance 1e-5; echo "exit $?"
