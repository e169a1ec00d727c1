# a treatment exported as text (trained/control) read with --treat-level; rows with a missing
# mediator or outcome are left out of both models (the same rows for both, as mediate requires)
printf 'group,m,y\ntrained,3,6\ncontrol,1,2\ncontrol,2,3\ntrained,,7\ncontrol,3,5\ntrained,4,6\ntrained,6,9\ncontrol,2,\n' >t.csv
"$ATTRIB" mediate t.csv --treat group --treat-level trained --mediator m --outcome y --sims 100 --format json |
  awk '/"n_(obs|input|dropped_missing|treated|control)"/ { print } /"acme": \{/ { k = 1 } /"estimate"/ && k { print "acme", $2; k = 0 }'
