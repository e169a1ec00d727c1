# --by with --value-per-unit-by: the reports show each group's own value per
# unit beside its ROI (the JSON's by.groups[].roi.value_per_unit), and a
# group with its own value gets a different ROI from the same effect at the
# common value; without --value-per-unit-by the column is not there.
cp "$DATA/learners.csv" .
A="learners.csv --outcome sales --treat trained --covariates tenure,prior_perf --by role --learners 200 --cost-per-learner 100 --value-per-unit 20 --no-pilot"
"$ATTRIB" analyze $A --value-per-unit-by Lead=80 --format json -o own.json --report own.html --report-md own.md -q || exit 1
"$ATTRIB" analyze $A --report common.html --report-md common.md -q -o common.txt || exit 1
python3 - <<'PY'
import json, re
d = json.load(open("own.json"))
vals = {g["level"]: g["roi"]["value_per_unit"] for g in d["by"]["groups"]}
print("json:", sorted(vals.items()))
html, md = open("own.html").read(), open("own.md").read()
sec = html[html.index('id="by-subgroup"'):]
sec = sec[:sec.index("</section>")]
assert "<th>value per unit</th>" in sec, "html column"
cells = re.findall(r"<tr><td>([^<]*)</td>.*?<td>([0-9.]+)</td><td>-?[0-9]+%</td>", sec)
assert sorted((k, float(v)) for k, v in cells) == sorted(vals.items()), cells
assert "| value per unit |" in md, "md column"
assert "<th>value per unit</th>" not in open("common.html").read(), "common.html"
assert "| value per unit |" not in open("common.md").read(), "common.md"
print("html and md: the column equals the JSON; absent without --value-per-unit-by")
PY
