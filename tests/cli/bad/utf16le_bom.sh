# class: encoding; UTF-16 LE text with its BOM (Excel's "Unicode text"): converted to UTF-8 and read (issue 14), exit 0
printf '\377\376a\000,\000b\000\n\0001\000,\0002\000\n\000' >u.csv
"$ATTRIB" describe u.csv -o out.txt
code=$?
ls out.* 2>/dev/null || echo "no output file"
exit $code
