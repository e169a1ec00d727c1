# class: option value; roi --value-per-unit-by Director (no =V): exit 2
"$ATTRIB" roi --effect 2 --learners 500 --cost program=50000 --value-per-unit-by Director
