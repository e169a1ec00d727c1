# class: option range; sensitivity evalue --estimate -1 --type rr: exit 2, a ratio estimate must be positive
"$ATTRIB" sensitivity evalue --estimate -1 --type rr -o out.txt
code=$?
ls out.* 2>/dev/null || echo "no output file"
exit $code
