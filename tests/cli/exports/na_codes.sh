# Missing-value codes of exports (issue 14): -, #N/A, N/A, --, ., ?, None,
# NULL, n/a are missing by default; the id keeps its leading zeros as text
# only when forced categorical (--categorical learner_id).
cp "$DATA"/../../data/exports/* . && E=.  # copies: messages name the file as given
"$ATTRIB" describe "$E/na_codes.csv" --categorical learner_id --format csv
