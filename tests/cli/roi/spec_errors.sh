# --spec refuses what it cannot read exactly (issue 15): a JSON array, null,
# true or an object where a value belongs was read as 0 ({"effect": [1, 2]}
# gave an ROI of -100%); an INI line over 1,023 bytes was split in two and
# the error named the wrong line; an unknown section was read as the top
# level; duplicate JSON keys kept the last. Each ends with the file, the
# line or key, and what was expected; a valid spec still runs.
run() { "$ATTRIB" roi --spec "$1" 2>&1 | head -2; echo "exit ${PIPESTATUS[0]}"; }
j() { printf '%s\n' "$1" >s.json; run s.json; }
j '{"effect": [1, 2], "learners": 10, "cost_per_learner": 5}'
j '{"effect": null}'
j '{"effect": true}'
j '{"effect": {"a": 1}}'
j '{"costs": {"program": [5000]}}'
j '{"costs": 5000}'
j '{"effect": 800, "effect": 900}'
j '{"effect": ""}'
j '{"learners x": 3}'
j '{"effect": 8'
j '[1, 2]'
# a sweep may be a list of numbers
j '{"effect": 800, "learners": 200, "cost_per_learner": 1000, "sweep": {"effect": [400, 800.5]}}'
awk 'BEGIN { printf "learners = 10\ncost_per_learner = 5\neffect = 8"; for (i = 0; i < 1100; i++) printf " "; printf "\nthis line is wrong\n" }' >long.ini
run long.ini
# a 1,500-byte line name is read whole (it was cut at 1,023 bytes)
awk 'BEGIN { printf "effect = 8\nlearners = 1\n[costs]\n"; for (i = 0; i < 1500; i++) printf "n"; printf " = 5\n" }' >big.ini
"$ATTRIB" roi --spec big.ini --format json | jq -r '.costs | keys[0] | length'
printf '[cost]\nprogram = 5000\n' >sec.ini
run sec.ini
printf '[costs] extra\n' >sec2.ini
run sec2.ini
printf 'effect =\n' >empty.ini
run empty.ini
printf 'effect = 8\x00\n' >nul.ini
run nul.ini
run /nonexistent.ini
