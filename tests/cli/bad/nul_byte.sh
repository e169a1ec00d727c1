# class: encoding; a NUL byte inside a field (it truncated the field silently): exit 1 naming line 2, column 2
printf 'a,b\n1,x\000y\n2,z\n' >u.csv
"$ATTRIB" describe u.csv -o out.txt
code=$?
ls out.* 2>/dev/null || echo "no output file"
exit $code
