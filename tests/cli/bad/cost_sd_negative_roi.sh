# class: option range; roi --cost p=5@sd=-1: exit 2, the sd is not a non-negative number
"$ATTRIB" roi --effect 10 --se 2 --learners 100 --cost 'p=5@sd=-1' -o out.txt
code=$?
ls out.* 2>/dev/null || echo "no output file"
exit $code
