# class: encoding; UTF-16 LE text with its BOM (Excel's "Unicode text"): exit 1 saying to save as CSV UTF-8
printf '\377\376a\000,\000b\000\n\0001\000,\0002\000\n\000' >u.csv
"$ATTRIB" describe u.csv -o out.txt
code=$?
ls out.* 2>/dev/null || echo "no output file"
exit $code
