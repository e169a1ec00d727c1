# class: flag combination; roi --effect with --value-per-unit-by (no subgroups to value): exit 2
"$ATTRIB" roi --effect 2 --se 1 --learners 500 --cost program=50000 --value-per-unit-by Director=150
