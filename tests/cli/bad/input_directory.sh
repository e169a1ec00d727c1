# class: unreadable input; a directory as DATA: exit 1, is a directory
mkdir d.csv
"$ATTRIB" describe d.csv -o out.txt
code=$?
ls out.* 2>/dev/null || echo "no output file"
exit $code
