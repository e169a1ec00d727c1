# class: JSON spec; --spec naming a file that does not exist: exit 1 naming it
"$ATTRIB" roi --spec missing.json -o out.txt
code=$?
ls out.* 2>/dev/null || echo "no output file"
exit $code
