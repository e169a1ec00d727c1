# sensitivity ovb as text and CSV: the bounds table shows kd and ky (ky != kd
# here), a bound capped at R2yz.dx = 1 is marked and explained; an impossible
# kd names the benchmark. The numbers are checked in tests/unit/test_sensitivity_ovb.c.
REF="$DATA/../../reference/sensitivity"
F="peacefactor ~ directlyharmed + age + farmer_dar + herder_dar + pastvoted + hhsize_darfur + female + factor(village)"
o() { "$ATTRIB" sensitivity ovb "$REF/darfur.csv" --formula "$F" --treat directlyharmed "$@"; }
o --benchmark female --benchmark pastvoted --kd 1,2,3 --ky 1,0.5,9
o --benchmark female --kd 1,2 --format csv
o --benchmark female --kd 200; echo "exit $?"
o --benchmark village; echo "exit $?"
o --q 0.5 | sed -n 3,4p
