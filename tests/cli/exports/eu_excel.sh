# A European Excel export (issue 14): BOM, CRLF, ';', decimal comma and
# '.' between thousands load with --decimal , --thousands .; the same
# mark twice is a usage error.
cp "$DATA"/../../data/exports/* . && E=.  # copies: messages name the file as given
"$ATTRIB" describe "$E/eu_excel.csv" --decimal , --thousands . --format json | jq -c '.columns[] | {name, type, mean, min, max}'
"$ATTRIB" describe "$E/eu_excel.csv" --decimal , --thousands ,; echo "exit $?"
