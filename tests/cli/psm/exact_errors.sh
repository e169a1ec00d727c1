# --exact columns that do not exist are named as exact-match columns (issue
# 15.7: they rode in the design's cluster slot and were called "(cluster)");
# strata that leave no focal unit a match, and an outcome that cannot vary
# within the strata (a zero SE, which printed NaN tests with exit 0), say so.
cp "$DATA/lalonde.csv" .
C="age,educ,race,married,nodegree,re74,re75"
"$ATTRIB" psm lalonde.csv --treat treat --outcome re78 --covariates "$C" --exact MISSING; echo "exit $?"
"$ATTRIB" psm lalonde.csv --treat treat --outcome re78 --covariates "$C" --exact married,marrid; echo "exit $?"
"$ATTRIB" psm lalonde.csv --treat treat --outcome re78 --covariates "$C" --exact id; echo "exit $?"
"$ATTRIB" psm lalonde.csv --treat treat --outcome re78 --covariates age --exact re78; echo "exit $?"
