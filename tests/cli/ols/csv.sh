cp "$DATA/learners.csv" .
"$ATTRIB" ols learners.csv --formula "sales ~ trained + tenure" --format csv | cut -d, -f1,8
