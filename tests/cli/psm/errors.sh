# Designs that cannot answer the question get a one-line diagnosis.
cp "$DATA/lalonde.csv" .
L=lalonde.csv
C="age,educ,race,married,nodegree,re74,re75"
"$ATTRIB" psm "$L" --treat married --outcome re78 --covariates age,educ --method ipw --estimand atc; echo "exit $?"
"$ATTRIB" psm "$L" --treat educ --outcome re78 --covariates age; echo "exit $?"
awk -F, 'NR == 1 || $2 == 0 || $1 == "NSW1"' "$L" >one.csv
"$ATTRIB" psm one.csv --treat treat --outcome re78 --covariates age; echo "exit $?"
awk -F, 'BEGIN { OFS = "," } NR == 1 { print $0, "s"; next } { print $0, ($2 == 1 ? 0.9 : 0.1) }' "$L" >sep.csv
"$ATTRIB" psm sep.csv --treat treat --outcome re78 --score s; echo "exit $?"
"$ATTRIB" psm "$L" --treat treat --outcome re78 --covariates "$C" --caliper 1e-12; echo "exit $?"
"$ATTRIB" psm "$L" --treat treat --outcome re78 --covariates "$C" --bootstrap 999; echo "exit $?"
"$ATTRIB" psm "$L" --treat treat --outcome re78 --covariates "$C" --estimand ate; echo "exit $?"
"$ATTRIB" psm "$L" --treat treat --outcome re78 --covariates "$C" --id race; echo "exit $?"
"$ATTRIB" psm "$L" --treat treat --outcome re78 --covariates "$C" --bias-adjust; echo "exit $?"
"$ATTRIB" psm "$L" --treat treat --outcome race --covariates "$C"; echo "exit $?"
"$ATTRIB" psm "$L" --treat treat --covariates "$C"; echo "exit $?"
"$ATTRIB" psm "$L" --treat treat --outcome re78 --covariates "$C" --discard some; echo "exit $?"
"$ATTRIB" psm "$L" --treat treat --outcome re78 --covariates "$C" -o out.json --matches /nonexistent/dir/p.csv; echo "exit $?"
ls
