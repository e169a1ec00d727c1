# class: option range; roi --decay 1: exit 2, must be in [0, 1)
"$ATTRIB" roi --effect 10 --se 2 --learners 100 --cost p=500 --decay 1 -o out.txt
code=$?
ls out.* 2>/dev/null || echo "no output file"
exit $code
