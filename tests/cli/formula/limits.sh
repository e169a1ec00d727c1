# Issue 15, defects 3 and 4, and 15.6/15.7 in formulas and weights: each
# hostile input ends at once with one clear line (ctest gives this case a
# 60 s limit: on main the crossing alone took 9 s and the nesting crashed).
run() { "$ATTRIB" ols d.csv --formula "$1" >/dev/null 2>err; echo "exit $?: $(head -1 err | cut -c1-160)"; }
printf 'y,x,w,v0,v1,v2,v3,v4,v5,v6,v7,v8,v9,v10,v11,v12,v13,v14,v15,v16,v17\n' >d.csv
for i in 1 2 3 4 5 6 7 8; do printf '%d,%d,%d,1,2,3,4,5,6,7,8,9,1,2,3,4,5,6,7,8,9\n' $i $((i * i % 7)) $((i == 3 ? -2 : 1)); done >>d.csv
open=$(printf '%*s' 10000 '' | tr ' ' '('); close=$(printf '%*s' 10000 '' | tr ' ' ')')
run "y ~ ${open}x${close}"
open=$(printf '%*s' 256 '' | tr ' ' '('); close=$(printf '%*s' 256 '' | tr ' ' ')')
"$ATTRIB" ols d.csv --formula "y ~ ${open}x${close}" --format json | jq -c '[.coefficients[].term]'
run "y ~ $(seq -f 'v%g' 0 17 | paste -sd'*' -)"
run "y ~ $(seq -f 'z%g' 0 4096 | paste -sd+ -)"
run "$(printf 'y ~ x + \001')"
run "$(printf 'y ~ `x\033[2J` + x')"
# the caret under the character, not the byte, and the control byte escaped
"$ATTRIB" ols d.csv --formula "$(printf 'y ~ formé + \001')"
"$ATTRIB" ols d.csv --formula 'y ~ formé + (x'
# weights: negative refused with the row and the column; zero dropped and counted
"$ATTRIB" ols d.csv --formula "y ~ x" --weights w; echo "exit $?"
awk -F, 'BEGIN { OFS = "," } NR > 1 && $3 < 0 { $3 = 0 } { print }' d.csv >z.csv
"$ATTRIB" ols z.csv --formula "y ~ x" --weights w --format json | jq -c '{n_obs, dropped}'
