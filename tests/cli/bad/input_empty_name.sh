# class: unreadable input; DATA given as an empty string: exit 2 saying the DATA argument is empty (not ": cannot open")
"$ATTRIB" describe "" -o out.txt
code=$?
ls out.* 2>/dev/null || echo "no output file"
exit $code
