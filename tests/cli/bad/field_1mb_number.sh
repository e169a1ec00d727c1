# class: 1 MB field; a 1 MiB run of digits in a column used as a regressor: exit 1 naming the column, the line and the cell (shortened), not a 1 MiB message
awk 'BEGIN { printf "a,b\n1,"; for (i = 0; i < 1048576; i++) printf "1"; printf "\n2,3\n5,7\n4,1\n" }' >f.csv
"$ATTRIB" ols f.csv --formula 'a ~ b' -o out.txt
code=$?
ls out.* 2>/dev/null || echo "no output file"
exit $code
