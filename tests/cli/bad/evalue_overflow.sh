# class: option range; sensitivity evalue --estimate 1e308 --type rr (an E-value of inf with exit 0): an error naming the overflow, or a finite bound
"$ATTRIB" sensitivity evalue --estimate 1e308 --type rr -o out.txt
code=$?
ls out.* 2>/dev/null || echo "no output file"
exit $code
