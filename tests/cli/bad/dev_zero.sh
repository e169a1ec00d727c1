# class: unreadable input; /dev/zero as DATA (it read forever): exit 1 within 16 MiB, binary data
"$ATTRIB" describe /dev/zero -o out.txt
code=$?
ls out.* 2>/dev/null || echo "no output file"
exit $code
