# class: CR line endings; the issue-15 reproducer (M CR TAB quote) on standard input, a heap overflow before: exit 1, unterminated quote at line 2
printf 'M\r\t"' | "$ATTRIB" describe - -o out.txt
code=$?
ls out.* 2>/dev/null || echo "no output file"
exit $code
