cp "$DATA/lalonde.csv" .
"$ATTRIB" logit lalonde.csv --formula "treat ~ age + educ + race + married + nodegree + re74 + re75" --treat married
