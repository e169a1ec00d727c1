# An Excel workbook where a CSV belongs: one line saying how to save it.
cp "$DATA"/../../data/exports/* . && E=.  # copies: messages name the file as given
"$ATTRIB" psm "$E/workbook.xlsx" --treat t --outcome y --covariates x -o out.json; echo "exit $?"
ls out.* 2>/dev/null || echo "no output file"
