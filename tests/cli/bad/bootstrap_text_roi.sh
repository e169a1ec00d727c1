# class: option range; roi --bootstrap abc: exit 2, expects a non-negative whole number
"$ATTRIB" roi --effect 10 --se 2 --learners 100 --cost p=500 --bootstrap abc --seed 1 -o out.txt
code=$?
ls out.* 2>/dev/null || echo "no output file"
exit $code
