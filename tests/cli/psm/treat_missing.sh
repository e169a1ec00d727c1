# A treatment column that does not exist is named as the treatment and what
# it should be (issue 15.7: the design builder used to call it "(outcome)",
# the response of treat ~ covariates).
cp "$DATA/lalonde.csv" .
"$ATTRIB" psm lalonde.csv --treat MISSING --outcome re78 --covariates age,educ; echo "exit $?"
"$ATTRIB" psm lalonde.csv --treat tret --outcome re78 --covariates age,educ; echo "exit $?"
"$ATTRIB" psm lalonde.csv --treat treat --outcome MISSING --covariates age,educ; echo "exit $?"
