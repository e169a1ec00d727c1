# class: subgroups; did 2x2 --by role where no Director is treated: exit 1, names the level
"$ATTRIB" simulate --design panel --rows 600 --seed 3 --adoption single >p.csv
awk -F, -v OFS=, 'NR == 1 { print $0, "g", "post"; next } { print $0, ($4 > 0 && $6 != "Director"), ($3 >= 5) }' p.csv >p2.csv
"$ATTRIB" did p2.csv --outcome sales --treat g --post post --by role -o out.txt
code=$?
ls out.* 2>/dev/null || echo "no output file"
exit $code
