# class: option range; roi --learners -5: exit 2, must be a positive number
"$ATTRIB" roi --effect 10 --se 2 --learners -5 --cost p=500 -o out.txt
code=$?
ls out.* 2>/dev/null || echo "no output file"
exit $code
