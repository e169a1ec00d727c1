cp "$DATA/learners.csv" .
"$ATTRIB" ols learners.csv --formula "sales ~ trained + + tenure"
