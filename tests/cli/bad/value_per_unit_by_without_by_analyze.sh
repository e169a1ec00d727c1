# class: flag combination; analyze --value-per-unit-by without --by: exit 2 before the data are read
"$ATTRIB" analyze missing.csv --outcome sales --treat trained --covariates tenure --cost program=50000 \
  --value-per-unit-by Director=150
