# class: JSON spec; roi --spec with "effect": [1, 2] (read as 0: ROI -100%): exit 1 naming the file and key, got an array
printf '{"effect": [1, 2], "learners": 10, "cost_per_learner": 5}\n' >s.json
"$ATTRIB" roi --spec s.json -o out.txt
code=$?
ls out.* 2>/dev/null || echo "no output file"
exit $code
