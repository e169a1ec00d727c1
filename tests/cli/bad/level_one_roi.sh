# class: option range; roi --level 1: exit 2, must be strictly between 0 and 1
"$ATTRIB" roi --effect 10 --se 2 --learners 100 --cost p=500 --level 1 -o out.txt
code=$?
ls out.* 2>/dev/null || echo "no output file"
exit $code
