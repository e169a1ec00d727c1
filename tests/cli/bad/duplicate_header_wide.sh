# class: duplicate/empty header; 100,001 columns, the last repeating column 5 (the check was O(n^2): 42 s for 100k columns): exit 1 at once naming columns 5 and 100001
awk 'BEGIN { for (i = 1; i <= 100000; i++) printf "%sc%d", (i > 1 ? "," : ""), i; print ",c5";
             for (i = 1; i <= 100001; i++) printf "%s1", (i > 1 ? "," : ""); print "" }' >h.csv
"$ATTRIB" describe h.csv -o out.txt
code=$?
ls out.* 2>/dev/null || echo "no output file"
exit $code
