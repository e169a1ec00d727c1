# A US CRM export (issue 14): currency, thousands separators, accounting
# negatives, a leading +, percentages. Without the flags the columns are
# text; with them, numbers (values printed exactly).
cp "$DATA"/../../data/exports/* . && E=.  # copies: messages name the file as given
"$ATTRIB" describe "$E/us_crm.csv" --format csv | cut -d, -f1,2
"$ATTRIB" describe "$E/us_crm.csv" --currency --thousands , --percent --format json |
  jq -c '.columns[] | {name, type, mean, min, max}'
"$ATTRIB" describe "$E/us_crm.csv" --thousands x; echo "exit $?"
