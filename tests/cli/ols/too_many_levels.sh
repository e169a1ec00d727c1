# A factor with thousands of levels belongs after '|': the error says so.
"$ATTRIB" simulate --rows 5000 --seed 2 -o d.csv -q
"$ATTRIB" ols d.csv --formula "sales ~ trained + factor(learner_id)"
