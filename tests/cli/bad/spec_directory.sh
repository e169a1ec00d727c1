# class: unreadable input; roi --spec given a directory: exit 1 naming the spec file
mkdir s.json
"$ATTRIB" roi --spec s.json -o out.txt
code=$?
ls out.* 2>/dev/null || echo "no output file"
exit $code
