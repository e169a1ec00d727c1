# 1:1 nearest-neighbour matching without replacement on the logit of a
# logit score (the report a user first sees).
cp "$DATA/lalonde.csv" .
"$ATTRIB" psm lalonde.csv --treat treat --outcome re78 --id id \
  --covariates "age,educ,race,married,nodegree,re74,re75"
