#!/usr/bin/env bash
# Writes the seed inputs of each fuzz target into tests/fuzz/corpus/<target>/
# (seed_* files; what campaigns add is named by libFuzzer's hash, and the
# regressions are regress_* files): the test fixtures and hand-written edge
# cases. Run from anywhere; rerun after changing a seed (the names are
# stable, so git shows what changed).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
data="$here/../cli/data"
c="$here/corpus"
mkdir -p "$c/csv" "$c/formula" "$c/spec" "$c/number"

# csv: the first byte is the mode (fuzz_csv.c): 0 memory only, 1 file,
# 2 file on two threads, 3 gzip; higher bits pick options
csv_seed() { # name text-file
  local name=$1 src=$2
  for m in 00 01 02 03 26; do
    { printf "\\x$m"; cat "$src"; } >"$c/csv/seed_${name}_$m"
  done
}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for f in lalonde learners werfel small ragged unterminated; do
  head -n 25 "$data/$f.csv" >"$tmp/$f"
  csv_seed "$f" "$tmp/$f"
done
w() { printf "$2" >"$tmp/$1"; csv_seed "$1" "$tmp/$1"; }
w cr_quote 'M\r\t"'
w cr_only 'a,b\r1,2\r"x",4\r'
w crlf 'a,b\r\n1,2\r\n3,4\r\n'
w bom '\xef\xbb\xbfa,b\n1,2\n'
w quoted 'a,b\n"x,y",2\n"line1\nline2",3\n"say ""hi""",4\n'
w blank_header '\n \t\na;b\n1;2\n'
w nul 'a,b\n1,2x\0yz\n'
w latin1 'a,b\n1,caf\xe9\n'
w utf8 'na\xc3\xafve,b\n\xc3\xbc,\xf0\x9f\x98\x80\n'
w utf16 '\xff\xfea\x00,\x00b\x00\n\x00'
w near_numeric 't,y\n1,1\n2,2\n-,3\n4,4\n#N/A,5\n'
w bools 'f,g\nyes,TRUE\nno,false\nYes,NA\n'
w late_text 'a,b\n1,2\n3,4\n5,6\n7,8\n9,x\n11,12\n13,14\n'
w missing 'a,b,c\nNA,,null\nNaN,1,2\n'
w numbers 'x\n1e308\n-0\n0.1\n123456789012345678901234\n4.9e-324\n.5\n5.\n1e400\n0x10\n'
w dup_header 'a,b,a\n1,2,3\n'
w empty_name 'a,,c\n1,2,3\n'
w tabs 'a\tb\n1\t2\n'
w pipes 'a|b\n1|2\n'
w spaces ' a , b \n 1 , 2 \n'
w ragged_mid 'a,b\n1,2\n3\n4,5\n'
w quote_in_field 'a,b\nx"y,1\n'
w after_quote 'a,b\n"x"y,1\n'
w blank_lines 'a,b\n1,2\n\n\n3,4\n'
w header_only 'a,b\n'
w gz_magic '\x1f\x8bnot gzip'

# formula: the first byte picks the variance and weights; then the formula,
# optionally a newline and a CSV table (fuzz_formula.c)
f() { printf "\\x$1%s" "$3" >"$c/formula/seed_$2"; }
f 00 plain 'y ~ x + z'
f 01 hc1 'y ~ x * z + factor(role)'
f 02 cluster 'y ~ x + b'
f 04 weights 'y ~ x + role'
f 00 fe 'y ~ x + z | g'
f 00 noint 'y ~ x:z - 1'
f 00 power 'y ~ (x + z + b)^2'
f 00 near 'y ~ near'
f 00 near_factor 'y ~ factor(near) + x'
f 00 constant_outcome 'k ~ x'
f 00 constant_term 'y ~ k + x'
f 00 text_outcome 'role ~ x'
f 00 unknown 'y ~ xx'
f 00 empty_rhs 'y ~ 1'
f 00 no_tilde 'y x'
f 00 interaction3 'y ~ x:z:factor(role)'
f 00 backquote 'y ~ `x` + z'
printf '\x00y ~ x + factor(g)\ny,x,g\n1,2,a\n2,3,b\n3,5,a\n4,4,b\n' >"$c/formula/seed_own_table"
printf '\x00y ~ %s' "$(printf '(%.0s' $(seq 300))x$(printf ')%.0s' $(seq 300))" >"$c/formula/seed_deep"
printf '\x00y ~ %s' "$(seq -s '*' 1 14 | sed 's/[0-9]\+/x/g')" >"$c/formula/seed_cross"

# spec: INI and JSON as roi and analyze read them (cli_spec.c)
s() { printf "$2" >"$c/spec/seed_$1"; }
s ini 'effect = 800\nlearners = 200\nhorizon = 48\nattribution = 0.7\ncost_per_learner = 1000\n[costs]\nprogram = 50000\n[benefits]\nsales = 20000\n[sweep]\neffect = 400:800:100\n'
s ini_comments '# a comment\n; another\n\n  effect =  8  \r\n'
s ini_bad_section '[cost]\nx = 1\n'
s ini_no_eq 'effect 800\n'
s json '{"effect": 800, "learners": 200, "horizon": 48, "attribution": 0.7, "cost_per_learner": 1000, "costs": {"program": 50000}, "benefits": {"sales": "20,000"}, "sweep": {"effect": [400, 800]}}'
s json_array '{"effect": [1, 2]}'
s json_null '{"effect": null, "learners": true}'
s json_nested '{"costs": {"a": {"b": 1}}}'
s json_dup '{"effect": 1, "effect": 2}'
s json_bad '{"effect": 8'
s json_real '{"effect": 0.1, "margin": 1e-300, "learners": 9007199254740993}'

# number: the bytes are the number (fuzz_number.c)
n() { printf '%s' "$2" >"$c/number/seed_$1"; }
n int 12345; n neg -0; n big 1e308; n over 1e309; n tiny 4.9e-324; n sub 2.2250738585072011e-308
n frac 0.1; n long 123456789012345678901234567890; n lead .5; n trail 5.; n exp 1e; n sign +
n hex 0x10; n inf inf; n nan nan; n comma 1,000; n halfway 9007199254740993; n ten22 1e22; n ten23 1e23
n many_zeros 0.000000000000000000000000000000000000000000001; n e_sign 1e+5; n E 2E-3
