# A ragged row names the file and line; -o leaves no partial file behind.
cp "$DATA/ragged.csv" .
"$ATTRIB" describe ragged.csv -o out.txt
code=$?
ls
exit $code
