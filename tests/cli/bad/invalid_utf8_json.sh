# class: encoding; a Latin-1 byte (0xE9) with --format json (it said "out of memory"): exit 1 naming line and column and the byte, with the fix
printf 'a,b\n1,caf\351\n2,z\n' >u.csv
"$ATTRIB" describe u.csv --format json -o out.json
code=$?
ls out.* 2>/dev/null || echo "no output file"
exit $code
