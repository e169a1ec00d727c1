"$ATTRIB" simulate --rows 3 --seed 9 | cut -d, -f1-6
