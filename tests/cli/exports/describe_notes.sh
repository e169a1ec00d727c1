# describe says which columns are text only because of a few cells or a
# number format, and which options read them (issue 14): text notes and
# the JSON keys near_numeric and number_format.
cp "$DATA"/../../data/exports/* . && E=.  # copies: messages name the file as given
"$ATTRIB" describe "$E/us_crm.csv" | sed -n '/^Notes:/,$p'
"$ATTRIB" describe "$E/custom_na.csv" | sed -n '/^Notes:/,$p'
"$ATTRIB" describe "$E/eu_excel.csv" | sed -n '/^Notes:/,$p'
"$ATTRIB" describe "$E/us_crm.csv" --format json | jq -c '.columns[] | select(.number_format) | {name, number_format}'
"$ATTRIB" describe "$E/custom_na.csv" --format json | jq -c '.columns[] | select(.near_numeric) | {name, near_numeric}'
