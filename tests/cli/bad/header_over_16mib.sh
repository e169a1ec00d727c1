# class: 1 MB field; a 20,000,000-byte header line (past the 16 MiB cap): exit 1 at once, the header line is too long, not an unbounded read
{ head -c 20000000 /dev/zero | tr '\0' h; printf ',b\n1,2\n'; } >f.csv
"$ATTRIB" describe f.csv -o out.txt
code=$?
ls out.* 2>/dev/null || echo "no output file"
exit $code
