# class: JSON spec; a cost line holding an array with a nested null: exit 1 naming costs.p, got an array
printf '{"effect": 5, "learners": 10, "costs": {"p": [1, {"x": null}]}}\n' >s.json
"$ATTRIB" roi --spec s.json -o out.txt
code=$?
ls out.* 2>/dev/null || echo "no output file"
exit $code
