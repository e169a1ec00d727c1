# class: JSON spec; "horizon": true: exit 1 naming the file and key, got true
printf '{"effect": 5, "learners": 10, "cost_per_learner": 1, "horizon": true}\n' >s.json
"$ATTRIB" roi --spec s.json -o out.txt
code=$?
ls out.* 2>/dev/null || echo "no output file"
exit $code
