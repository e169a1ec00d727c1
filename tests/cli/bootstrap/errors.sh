# Bootstrap combinations without a valid or built estimator are refused by name (exit 2 for usage, 1 otherwise).
d="$DATA/../../reference/bootstrap/boot_data.csv"
run() { "$ATTRIB" ols "$d" "$@" >/dev/null 2>err; echo "exit $?: $(head -1 err)"; }
run --formula "sales ~ trained" --bootstrap 999
run --formula "sales ~ trained" --treat trained --bootstrap 50
run --formula "sales ~ trained" --treat trained --boot-type wild
run --formula "sales ~ trained" --treat trained --bootstrap 999 --boot-type cluster
run --formula "sales ~ trained" --treat trained --bootstrap 999 --boot-type pairs --weights-dist webb
run --formula "sales ~ trained" --treat trained --bootstrap 999 --boot-type wild --cluster team --ci bca
run --formula "sales ~ trained | team" --treat trained --bootstrap 999 --boot-type cluster --cluster team --ci bca
run --formula "sales ~ trained" --treat trained --bootstrap 999 --boot-type multiplier
run --formula "sales ~ trained" --treat trained --bootstrap 999 --ci fancy
# B is bounded (issue 15.6: 2^64 - 1 was accepted and sizes computed from it), for every command
run --formula "sales ~ trained" --treat trained --bootstrap 18446744073709551615
run --formula "sales ~ trained" --treat trained --bootstrap 10000001
"$ATTRIB" did "$DATA/../../reference/did/did_wild_2x2.csv" --outcome y --treat treat --post post --bootstrap 99999999 2>&1 | head -1
# the wild and cluster bootstraps take one clustering
run --formula "sales ~ trained" --treat trained --cluster team,region --bootstrap 999 --boot-type wild
