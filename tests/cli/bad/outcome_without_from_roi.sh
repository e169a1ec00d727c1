# class: flag combination; roi --effect with --outcome (no file to pick from): exit 2
"$ATTRIB" roi --effect 2 --learners 500 --cost program=50000 --outcome sales
