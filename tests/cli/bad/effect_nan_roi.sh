# class: option range; roi --effect nan: exit 2 naming --effect (not an anonymous "amount")
"$ATTRIB" roi --effect nan --se 2 --learners 100 --cost p=500 -o out.txt
code=$?
ls out.* 2>/dev/null || echo "no output file"
exit $code
