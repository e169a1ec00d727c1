# class: unreadable input; roi --draws given a file that does not exist: exit 1 naming it
"$ATTRIB" roi --effect 8 --draws missing.csv --learners 100 --cost p=500 -o out.txt
code=$?
ls out.* 2>/dev/null || echo "no output file"
exit $code
