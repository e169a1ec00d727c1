# -o writes through a temporary file renamed at the end: only out.json remains.
cp "$DATA/small.csv" .
"$ATTRIB" describe small.csv --format json -o out.json
ls
head -c 60 out.json; echo
