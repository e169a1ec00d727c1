# class: option range; roi --sweep effect=5:1:1 (FROM above TO): exit 2 saying what is wrong with the range, not "expected FROM:TO:STEP" for a FROM:TO:STEP
"$ATTRIB" roi --effect 10 --se 2 --learners 100 --cost p=500 --sweep effect=5:1:1 -o out.txt
code=$?
ls out.* 2>/dev/null || echo "no output file"
exit $code
