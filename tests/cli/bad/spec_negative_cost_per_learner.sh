# class: JSON spec; "cost_per_learner": -1 in a spec: exit 1 naming the file and key (not the --cost-per-learner flag)
printf '{"effect": 5, "learners": 10, "cost_per_learner": -1}\n' >s.json
"$ATTRIB" roi --spec s.json -o out.txt
code=$?
ls out.* 2>/dev/null || echo "no output file"
exit $code
