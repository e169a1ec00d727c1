# The same table written by R's write.csv, pandas' to_csv, Excel for a
# European locale (BOM, CRLF, ';', decimal comma), as cp1252 and as UTF-16
# "Unicode text" loads to the same table (issue 14): each summary must
# equal R's file's.
cp "$DATA"/../../data/exports/* . && E=.  # copies: messages name the file as given
"$ATTRIB" describe "$E/roundtrip_r.csv" --format csv >r.csv
cat r.csv
one() { "$ATTRIB" describe "$E/$1" "${@:2}" --format csv >got.csv && cmp -s r.csv got.csv && echo "$1: same table" || { echo "$1: differs"; diff r.csv got.csv; }; }
one roundtrip_pandas.csv
one roundtrip_r_rownames.csv
one roundtrip_excel_eu.csv --decimal ,
one roundtrip_cp1252.csv --encoding cp1252
one roundtrip_utf16.txt
"$ATTRIB" describe "$E/roundtrip_cp1252.csv" -q; echo "exit $?"
