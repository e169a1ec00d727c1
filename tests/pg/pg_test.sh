#!/usr/bin/env bash
# PostgreSQL sources against a real server this script starts itself
# (issue 19): initdb into a temporary folder, pg_ctl start on a private unix
# socket folder with no TCP listener, the bundled datasets loaded with COPY,
# every command run from the CSV file and from the database, the server
# stopped at the end whatever happens (trap).
#   fetched (postgresql://...?table=T, --sql): the same JSON, byte for byte,
#     but "source"
#   --pushdown: the same JSON structure, every number within 1e-10 relative
#     (the sums run in another order; the solver is named "cholesky")
#   bad password, no such table, a text column used as a number, a table
#     name that tries SQL injection: each one line on standard error.
# The server's binaries missing is a failure, not a skip: CI installs them
# (scripts/install-deps.sh). As root (CI), initdb and the server run as the
# postgres user, which Debian's package creates.
# With UNIT_TEST (build/tests/test_pg), that runs against the server too:
# every allocation of a fetch and of a pushed-down fit failed in turn.
# Usage: tests/pg/pg_test.sh ATTRIB_BINARY SOURCE_DIR [UNIT_TEST]
set -uo pipefail
attrib=$1
src=$2
unit=${3:-}
fail=0
bad() { echo "FAIL: $*"; fail=1; }

bindir=$(pg_config --bindir 2>/dev/null)
[ -x "$bindir/initdb" ] || bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
if [ ! -x "$bindir/initdb" ] || [ ! -x "$bindir/pg_ctl" ]; then
  echo "FAIL: PostgreSQL's server (initdb, pg_ctl) is not installed: apt-get install postgresql (scripts/install-deps.sh)"
  exit 1
fi
command -v psql >/dev/null || { echo "FAIL: psql is not installed (postgresql-client)"; exit 1; }
command -v jq >/dev/null || { echo "FAIL: jq is not installed"; exit 1; }

tmp=$(mktemp -d /tmp/attrib-pg.XXXXXX)
as_pg=()
if [ "$(id -u)" -eq 0 ]; then # initdb refuses root
  chown postgres: "$tmp" || { echo "FAIL: no postgres user to run the server as"; exit 1; }
  as_pg=(runuser -u postgres --)
fi
stop() {
  [ -f "$tmp/data/postmaster.pid" ] && (cd /tmp && "${as_pg[@]}" "$bindir/pg_ctl" -D "$tmp/data" -m immediate -w stop >/dev/null 2>&1)
  rm -rf "$tmp"
}
trap stop EXIT
export PGPASSWORD=attrib-test-pw
printf '%s\n' "$PGPASSWORD" >"$tmp/pw"
[ ${#as_pg[@]} -gt 0 ] && chown postgres: "$tmp/pw"
# password authentication on the socket, so that a wrong one is refused
if ! (cd /tmp && "${as_pg[@]}" "$bindir/initdb" -D "$tmp/data" -U attrib --pwfile="$tmp/pw" --auth-local=scram-sha-256 \
        --auth-host=scram-sha-256 -E UTF8 --locale=C >"$tmp/initdb.log" 2>&1); then
  echo "FAIL: initdb"; cat "$tmp/initdb.log"; exit 1
fi
if ! (cd /tmp && "${as_pg[@]}" "$bindir/pg_ctl" -D "$tmp/data" -l "$tmp/server.log" -w \
        -o "-k $tmp -c listen_addresses='' -p 5432 -c fsync=off" start >/dev/null); then
  echo "FAIL: pg_ctl start"; cat "$tmp/server.log"; exit 1
fi
base="postgresql://attrib@/postgres?host=$tmp&port=5432"
sqlrun() { psql -X -q -v ON_ERROR_STOP=1 "$base" "$@"; }

# the tables: the CSV reader's own types (describe), numbers as double precision
for f in lalonde learners_sample panel_sample; do
  cols=$("$attrib" describe "$src/datasets/$f.csv" --format json |
    jq -r '[.columns[] | "\"\(.name)\" " + (if .type == "numeric" then "double precision" else "text" end)] | join(", ")')
  sqlrun -c "CREATE TABLE $f ($cols)" -c "\\copy $f FROM '$src/datasets/$f.csv' WITH (FORMAT csv, HEADER true)" ||
    { echo "FAIL: loading $f"; exit 1; }
done
# booleans, NULLs, integer and numeric types, and the CSV file the database
# would export for them (true/false words, empty cells)
sqlrun -c "CREATE TABLE typed AS SELECT learner_id::integer AS learner_id, team::bigint AS team, region,
             CASE WHEN learner_id::integer % 17 = 0 THEN NULL ELSE trained = 1 END AS trained,
             CASE WHEN learner_id::integer % 23 = 0 THEN NULL ELSE tenure::numeric(10,2) END AS tenure,
             sales FROM learners_sample" \
  -c "\\copy (SELECT learner_id, team, region, CASE WHEN trained THEN 'true' WHEN NOT trained THEN 'false' END AS trained,
              tenure, sales FROM typed ORDER BY learner_id) TO '$tmp/typed.csv' WITH (FORMAT csv, HEADER true)" ||
  { echo "FAIL: the typed table"; exit 1; }
sqlrun -c "CREATE TABLE typed_ordered AS SELECT * FROM typed ORDER BY learner_id" || exit 1
# a 2x2 difference-in-differences: treated cohorts, periods from 4 on
sqlrun -c "CREATE TABLE did2 AS SELECT *, (period >= 4)::int::float8 AS post, (cohort > 0)::int::float8 AS treat
             FROM panel_sample" \
  -c "\\copy (SELECT * FROM did2) TO '$tmp/did2.csv' WITH (FORMAT csv, HEADER true)" || { echo "FAIL: did2"; exit 1; }

json() { jq -S 'del(.source)'; }
# same CSV-path command and database command: identical JSON
same() {
  local name=$1 csv=$2 db=$3; shift 3
  local a b rb
  a=$("$attrib" "$1" "$csv" "${@:2}" --format json -q 2>"$tmp/e1" | json)
  "$attrib" "$1" "$db" "${@:2}" --format json -q >"$tmp/b.raw" 2>"$tmp/e2"
  rb=$?
  b=$(json <"$tmp/b.raw")
  # exit 0 and nothing on standard error (a sanitizer's report goes there)
  if [ "$rb" -ne 0 ] || [ -s "$tmp/e2" ]; then
    bad "$name: exit $rb from the database source"; head -20 "$tmp/e2"
  elif [ -z "$a" ] || [ "$a" != "$b" ]; then
    bad "$name: the database's JSON differs from the CSV file's"
    diff <(echo "$a") <(echo "$b") | head -10
    cat "$tmp/e1" "$tmp/e2" | head -5
  else echo "ok: $name"; fi
}
L="$src/datasets/learners_sample.csv"
LD="$base&table=learners_sample"
same "describe" "$src/datasets/lalonde.csv" "$base&table=lalonde" describe
same "ols iid" "$L" "$LD" ols --formula "sales ~ trained + tenure + factor(region) + role"
same "ols hc1" "$L" "$LD" ols --formula "sales ~ trained + tenure + factor(region)" --vcov hc1
same "ols cluster" "$L" "$LD" ols --formula "sales ~ trained + tenure + prior_perf" --cluster team
same "ols fixed effects" "$L" "$LD" ols --formula "sales ~ trained + tenure | team"
same "logit" "$src/datasets/lalonde.csv" "$base&table=lalonde" logit --formula "treat ~ age + educ + factor(race) + married + re74"
same "psm" "$src/datasets/lalonde.csv" "$base&table=lalonde" psm --treat treat --outcome re78 \
  --covariates "age,educ,race,married,nodegree,re74,re75"
same "did staggered" "$src/datasets/panel_sample.csv" "$base&table=panel_sample" did --outcome sales --unit learner_id \
  --time period --cohort cohort
a=$("$attrib" ols "$L" --formula "sales ~ trained + tenure" --format json -q | json)
b=$("$attrib" ols "$base" --sql "SELECT * FROM learners_sample ORDER BY learner_id;" --formula "sales ~ trained + tenure" \
    --format json -q | json)
if [ -n "$a" ] && [ "$a" = "$b" ]; then echo "ok: --sql"; else bad "--sql: the query's JSON differs from the CSV file's"; fi
same "typed: bool, NULL, integer, numeric" "$tmp/typed.csv" "$base&table=typed_ordered" ols \
  --formula "sales ~ trained + tenure + region" --cluster team
same "typed: describe" "$tmp/typed.csv" "$base&table=typed_ordered" describe

# --pushdown: every number within 1e-10 relative of the CSV path's
flat() { jq -c 'del(.source, .solver) | paths(scalars) as $p | [$p, getpath($p)]'; }
# the largest relative difference of two JSON files' numbers (same structure), ok under 1e-10
within() {
  local name=$1 worst
  worst=$(paste <(flat <"$2" | jq -r '.[1] | tostring') <(flat <"$3" | jq -r '.[1] | tostring') \
      <(flat <"$2" | jq -c '.[0]') |
    awk -F'\t' '{ if ($1 == $2) next; a = $1 + 0; b = $2 + 0;
                  # a p-value far in the tail carries z^2 times the statistic relative error
                  # (d log p / dz ~ -z): the statistic itself is compared
                  if ($3 ~ /p_value"\]$/ && a < 1e-20 && b < 1e-20) next;
                  if ($1 != a "" && $1 + 0 == 0 && $1 !~ /^-?[0-9.eE+-]+$/) { print "text " $1 " " $2; exit }
                  d = a - b; if (d < 0) d = -d; m = (a < 0 ? -a : a); if (m < 1e-300) m = 1e-300;
                  if (d / m > w) { w = d / m; at = $3 } } END { printf "%.3g%s\n", w + 0, (w > 1e-10 ? " at " at : "") }')
  if [ -n "$worst" ] && awk -v w="${worst%% *}" 'BEGIN { exit !(w + 0 <= 1e-10) }' && [[ "$worst" != text* ]]; then
    echo "ok: $name (largest relative difference $worst)"
  else bad "$name: largest relative difference $worst"; fi
}
close() {
  local name=$1 csv=$2 db=$3; shift 3
  "$attrib" ols "$csv" "$@" --format json -q >"$tmp/a.json" 2>"$tmp/e1"
  "$attrib" ols "$db" --pushdown "$@" --format json -q >"$tmp/b.json" 2>"$tmp/e2" ||
    { bad "pushdown $name: exit $?"; head -20 "$tmp/e2"; return; }
  [ -s "$tmp/e2" ] && { bad "pushdown $name: standard error not empty"; head -20 "$tmp/e2"; return; }
  if [ ! -s "$tmp/a.json" ] || [ ! -s "$tmp/b.json" ]; then
    bad "pushdown $name: no result"; cat "$tmp/e1" "$tmp/e2"; return
  fi
  flat <"$tmp/a.json" | jq -c '.[0]' >"$tmp/pa"
  flat <"$tmp/b.json" | jq -c '.[0]' >"$tmp/pb"
  cmp -s "$tmp/pa" "$tmp/pb" || { bad "pushdown $name: JSON structure differs"; diff "$tmp/pa" "$tmp/pb" | head; return; }
  within "pushdown $name" "$tmp/a.json" "$tmp/b.json"
}
close "iid" "$L" "$LD" --formula "sales ~ trained + tenure + factor(region) + role + prior_perf"
close "hc1" "$L" "$LD" --formula "sales ~ trained + tenure + factor(region) + role" --vcov hc1
close "cr1" "$L" "$LD" --formula "sales ~ trained + tenure + factor(region) + engagement" --cluster team
close "cr1 treat" "$L" "$LD" --formula "sales ~ trained + tenure" --cluster team --treat trained
close "cr1, 8 clusters (the warning)" "$L" "$LD" --formula "sales ~ trained + tenure" --cluster region
close "factor() of number columns" "$L" "$LD" --formula "sales ~ trained + factor(education_years) + factor(manager_rating)"
close "no intercept" "$L" "$LD" --formula "sales ~ 0 + trained + factor(region)" --vcov hc1
close "2x2 DiD, hc1" "$tmp/did2.csv" "$base&table=did2" --formula "sales ~ treat * post" --vcov hc1 --treat treat:post
close "2x2 DiD, cr1, covariate" "$tmp/did2.csv" "$base&table=did2" --formula "sales ~ treat * post + tenure" \
  --cluster team --treat treat:post
# logit --pushdown: one query per Newton step; every number within 1e-10 of
# the CSV path's but the iteration count (the start differs in its last bits)
close_logit() {
  local name=$1 csv=$2 db=$3; shift 3
  "$attrib" logit "$csv" "$@" --format json -q | jq 'del(.iterations)' >"$tmp/a.json" 2>"$tmp/e1"
  "$attrib" logit "$db" --pushdown "$@" --format json -q 2>"$tmp/e2" | jq 'del(.iterations)' >"$tmp/b.json"
  [ -s "$tmp/e2" ] && { bad "logit pushdown $name: standard error not empty"; head -20 "$tmp/e2"; return; }
  flat <"$tmp/a.json" | jq -c '.[0]' >"$tmp/pa"
  flat <"$tmp/b.json" | jq -c '.[0]' >"$tmp/pb"
  if [ ! -s "$tmp/pa" ] || ! cmp -s "$tmp/pa" "$tmp/pb"; then
    bad "logit pushdown $name: JSON structure differs"; diff "$tmp/pa" "$tmp/pb" | head; return
  fi
  within "logit pushdown $name" "$tmp/a.json" "$tmp/b.json"
}
LL="$src/datasets/lalonde.csv"
LLD="$base&table=lalonde"
close_logit "iid" "$LL" "$LLD" --formula "treat ~ age + educ + factor(race) + married + re74"
close_logit "hc1" "$LL" "$LLD" --formula "treat ~ age + educ + factor(race) + married + re74 + re75" --vcov hc1
close_logit "hc0, no intercept" "$LL" "$LLD" --formula "treat ~ 0 + age + educ + factor(race)" --vcov hc0
close_logit "cluster" "$L" "$LD" --formula "trained ~ tenure + prior_perf + factor(region) + engagement" --cluster team
close_logit "cluster, 8 clusters (the warning)" "$L" "$LD" --formula "trained ~ tenure + prior_perf" --cluster region
# did --pushdown: the 2x2's JSON within 1e-10 of the CSV path's (cells, effect, notes)
close_did() {
  local name=$1; shift
  "$attrib" did "$tmp/did2.csv" "$@" --format json -q >"$tmp/a.json" 2>"$tmp/e1"
  "$attrib" did "$base&table=did2" --pushdown "$@" --format json -q >"$tmp/b.json" 2>"$tmp/e2"
  [ -s "$tmp/e2" ] && { bad "did pushdown $name: standard error not empty"; head -20 "$tmp/e2"; return; }
  jq 'del(.source)' "$tmp/a.json" >"$tmp/a2.json"
  jq 'del(.source)' "$tmp/b.json" >"$tmp/b2.json"
  flat <"$tmp/a2.json" | jq -c '.[0]' >"$tmp/pa"
  flat <"$tmp/b2.json" | jq -c '.[0]' >"$tmp/pb"
  if [ ! -s "$tmp/pa" ] || ! cmp -s "$tmp/pa" "$tmp/pb"; then
    bad "did pushdown $name: JSON structure differs"; diff "$tmp/pa" "$tmp/pb" | head; return
  fi
  within "did pushdown $name" "$tmp/a2.json" "$tmp/b2.json"
}
close_did "2x2, hc1" --outcome sales --treat treat --post post
close_did "2x2, cluster, covariates" --outcome sales --treat treat --post post --cluster team --covariates "tenure,prior_perf"
# the 2x2 DiD of did (HC1) is the pushed-down interaction's coefficient
d=$("$attrib" did "$tmp/did2.csv" --outcome sales --treat treat --post post --format json -q | jq -c '[.effect.estimate, .effect.std_error]')
o=$("$attrib" ols "$base&table=did2" --pushdown --formula "sales ~ treat * post" --vcov hc1 --treat treat:post --format json -q |
    jq -c '[.effect.estimate, .effect.std_error]')
if awk -v a="$d" -v b="$o" 'BEGIN { gsub(/[][]/, "", a); gsub(/[][]/, "", b); split(a, x, ","); split(b, y, ",");
      for (i = 1; i <= 2; i++) { r = (x[i] - y[i]) / x[i]; if (r < 0) r = -r; if (!(r <= 1e-10)) exit 1 } }'; then
  echo "ok: did 2x2 = ols --pushdown treat * post ($d, $o)"
else bad "did 2x2 $d vs pushdown $o"; fi

# errors: one line each, naming the cause
one_line() {
  local name=$1 want=$2; shift 2
  "$attrib" "$@" >/dev/null 2>"$tmp/err"
  local rc=$? lines
  lines=$(wc -l <"$tmp/err")
  if [ "$rc" -eq 0 ] || [ "$lines" -ne 1 ] || ! grep -q -- "$want" "$tmp/err"; then
    bad "$name: exit $rc, $lines lines, expected one line with '$want':"; cat "$tmp/err"
  else echo "ok: $name: $(cat "$tmp/err")"; fi
}
one_line "bad password" "password authentication failed" ols \
  "postgresql://attrib:wrong@/postgres?host=$tmp&port=5432&table=learners_sample" --formula "sales ~ trained"
one_line "no such table" 'relation "nosuch" does not exist' ols "$base&table=nosuch" --formula "sales ~ trained"
one_line "no such table, pushdown" 'relation "nosuch" does not exist' ols "$base&table=nosuch" --pushdown \
  --formula "sales ~ trained"
one_line "text outcome" "region" ols "$LD" --formula "region ~ trained"
one_line "text outcome, pushdown" "not a number column" ols "$LD" --pushdown --formula "region ~ trained"
one_line "no such column, pushdown" "no column 'tenur'" ols "$LD" --pushdown --formula "sales ~ tenur"
one_line "factor interaction, pushdown" "not pushed down" ols "$LD" --pushdown --formula "sales ~ trained * region"
one_line "logit pushdown, probit" "probit is not pushed down" logit "$LLD" --pushdown --link probit --formula "treat ~ age"
one_line "logit pushdown, not 0/1" "must be 0 or 1, but 471 rows" logit "$LLD" --pushdown --formula "re78 ~ age"
"$attrib" logit "$LLD" --pushdown --formula "treat ~ age" --treat age >/dev/null 2>"$tmp/err"
[ $? -eq 2 ] && grep -q "average marginal effect averages over the rows" "$tmp/err" && echo "ok: logit pushdown, --treat refused" ||
  { bad "logit pushdown, --treat: not refused"; cat "$tmp/err"; }
one_line "logit pushdown, separation" "separation" logit "$base" --pushdown \
  --sql "SELECT treat, CASE WHEN treat = 1 THEN age + 100 ELSE age END AS agesep FROM lalonde" --formula "treat ~ agesep"
one_line "did pushdown, a panel" "needs the rows" did "$base&table=panel_sample" --pushdown --outcome sales \
  --unit learner_id --time period --cohort cohort
one_line "did pushdown, not 0/1" "must be 0/1; " did "$base" --pushdown --sql "SELECT sales, period AS treat, post FROM did2" \
  --outcome sales --treat treat --post post
one_line "did pushdown, one arm" "no control units" did "$base" --pushdown --sql "SELECT sales, 1.0::float8 AS treat, post FROM did2" \
  --outcome sales --treat treat --post post
one_line "collinear, pushdown" "collinear" ols "$base" --pushdown --sql "SELECT sales, tenure, 2 * tenure AS t2 FROM learners_sample" \
  --formula "sales ~ tenure + t2"
one_line "injection in the table name" 'does not exist' ols \
  "$base&table=lalonde%22;%20DROP%20TABLE%20panel_sample;--" --formula "re78 ~ treat"
one_line "injection in a column name, pushdown" "no column" ols "$LD" --pushdown \
  --formula 'sales ~ trained' --cluster 'team"; DROP TABLE panel_sample; --'
sqlrun -c "SELECT count(*) FROM panel_sample" >/dev/null || bad "panel_sample was dropped by an injection"
one_line "table and --sql" "not both" ols "$LD" --sql "SELECT 1" --formula "sales ~ trained"
one_line "--sql without a URI" "postgresql://" ols "$L" --sql "SELECT 1" --formula "sales ~ trained"
one_line "password not shown" "" ols "postgresql://attrib:$PGPASSWORD@/postgres?host=$tmp&port=5432&table=learners_sample" \
  --formula "nosuch ~ trained"
# the output captured first: a pipe into grep -q, which exits at its first match, can end the
# writer with SIGPIPE, and under pipefail the pipeline then fails whatever grep found (a flake)
plain=$("$attrib" ols "postgresql://attrib:$PGPASSWORD@/postgres?host=$tmp&port=5432&table=learners_sample" \
  --formula "sales ~ trained" --format json -q) || bad "a fetch with a password in the URI failed"
grep -q "$PGPASSWORD" <<<"$plain" && bad "the password is in the report"
pd=$("$attrib" ols "postgresql://attrib:$PGPASSWORD@/postgres?host=$tmp&port=5432&table=learners_sample" --pushdown \
  --formula "sales ~ trained" --format json -q) || bad "--pushdown with a password in the URI failed"
grep -q '"source": "postgresql://attrib:\*' <<<"$pd" || { bad "the --pushdown report's source is not masked"; head -5 <<<"$pd"; }
grep -q "$PGPASSWORD" <<<"$pd" && bad "the password is in the --pushdown report"

# sufficient statistics as files (docs/scale.md, "Feeding the result back")
# one source: --from-stats finishes --stats-out's sums into the pushdown's own JSON
for v in "--vcov iid" "--vcov hc1" "--cluster team"; do
  "$attrib" ols "$LD" --pushdown --formula "sales ~ trained + tenure + factor(region)" $v --treat trained \
    --stats-out "$tmp/one.stats.json" --format json -q | jq -S 'del(.source)' >"$tmp/pd.json"
  "$attrib" ols --from-stats "$tmp/one.stats.json" --treat trained --format json -q | jq -S 'del(.source)' >"$tmp/fs.json"
  if [ -s "$tmp/pd.json" ] && cmp -s "$tmp/pd.json" "$tmp/fs.json"; then echo "ok: --from-stats of one source ($v): the pushdown's JSON"
  else bad "--from-stats of one source ($v) differs from the pushdown"; diff "$tmp/pd.json" "$tmp/fs.json" | head; fi
done
# two parts (teams split by parity: each cluster in one part) merged, in the
# two rounds of a distributed run: the normal equations, then the residual
# pass of each part at the merged coefficients; against the whole CSV file
sqlrun -c "CREATE TABLE part_a AS SELECT * FROM learners_sample WHERE CAST(team AS integer) % 2 = 0" \
  -c "CREATE TABLE part_b AS SELECT * FROM learners_sample WHERE CAST(team AS integer) % 2 = 1" || bad "the parts"
F="sales ~ trained + tenure + factor(region) + engagement"
fields='{coefficients, effect, n_obs, df_resid, rss, sigma, r_squared, adj_r_squared, f_statistic, f_p_value}'
for part in a b; do
  "$attrib" ols "$base&table=part_$part" --pushdown --formula "$F" --cluster team --stats-out "$tmp/r1_$part.json" \
    --format json -q >/dev/null || bad "round 1, part $part"
done
"$attrib" ols --from-stats "$tmp/r1_a.json" "$tmp/r1_b.json" --vcov iid --treat trained --stats-out "$tmp/merged.json" \
  --format json -q | jq -S "$fields" >"$tmp/m_iid.json"
"$attrib" ols "$L" --formula "$F" --treat trained --format json -q | jq -S "$fields" >"$tmp/c_iid.json"
within "--from-stats, two parts, iid from round 1 (rss moved to the merged coefficients)" "$tmp/c_iid.json" "$tmp/m_iid.json"
one_line "--from-stats, round 1 only, cluster" "residual pass at the merged coefficients" ols --from-stats "$tmp/r1_a.json" "$tmp/r1_b.json"
for v in "--vcov hc1" "--cluster team"; do
  for part in a b; do
    "$attrib" ols "$base&table=part_$part" --pushdown --formula "$F" $v --coefficients-from "$tmp/merged.json" \
      --stats-out "$tmp/r2_$part.json" -q || bad "round 2 ($v), part $part"
  done
  "$attrib" ols --from-stats "$tmp/r2_a.json" "$tmp/r2_b.json" --treat trained --format json 2>"$tmp/e2" |
    jq -S "$fields" >"$tmp/m2.json"
  "$attrib" ols "$L" --formula "$F" $v --treat trained --format json -q | jq -S "$fields" >"$tmp/c2.json"
  within "--from-stats, two parts, $v from round 2" "$tmp/c2.json" "$tmp/m2.json"
done
grep -q "each cluster lies in one part" "$tmp/e2" || bad "--from-stats of clustered parts: no warning that clusters must not cross parts"
one_line "--from-stats, different models" "11 and 10 terms" ols --from-stats "$tmp/r1_a.json" "$tmp/one.stats.json"

t_unit=$(date +%s)
if [ -n "$unit" ]; then
  if ATTRIB_PG_TEST_URI="$base" "$unit" >"$tmp/unit.log" 2>&1; then echo "ok: allocation failures (test_pg, $(($(date +%s) - t_unit)) s)"
  else bad "test_pg against the server"; tail -30 "$tmp/unit.log"; fi
fi
[ $fail = 0 ] && echo "all PostgreSQL checks passed"
exit $fail
