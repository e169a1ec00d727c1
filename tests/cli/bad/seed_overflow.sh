# class: option range; roi --seed 2^64: exit 2, too large
"$ATTRIB" roi --effect 10 --se 2 --learners 100 --cost p=500 --bootstrap 99 --seed 18446744073709551616 -o out.txt
code=$?
ls out.* 2>/dev/null || echo "no output file"
exit $code
