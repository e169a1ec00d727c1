# class: option range; roi --threads -1: exit 2, expects a non-negative whole number
"$ATTRIB" roi --effect 10 --se 2 --learners 100 --cost p=500 --sweep effect=1,2 --threads -1 -o out.txt
code=$?
ls out.* 2>/dev/null || echo "no output file"
exit $code
