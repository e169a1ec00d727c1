#!/usr/bin/env bash
# Runs one CLI golden case: tests/cli/<command>/<case>.sh, in a fresh
# temporary folder, with $ATTRIB pointing at the binary and $DATA at
# tests/cli/data and $REFERENCE at tests/reference. Compares stdout, stderr and the exit code with
# <case>.stdout, <case>.stderr and <case>.exit (missing = empty / 0).
# ATTRIB_REGENERATE=1 rewrites the expected files (review the diff).
set -u
bin=$1
case_file=$2
base=${case_file%.sh}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export ATTRIB="$bin"
export DATA
DATA="$(cd "$(dirname "$case_file")/../data" && pwd)"
export REFERENCE
REFERENCE="$(cd "$(dirname "$case_file")/../../reference" && pwd)"
cd "$work" || exit 1
bash "$case_file" >stdout 2>stderr
code=$?
if [ -n "${ATTRIB_REGENERATE:-}" ]; then
  cp stdout "$base.stdout"
  cp stderr "$base.stderr"
  if [ "$code" = 0 ]; then rm -f "$base.exit"; else echo "$code" >"$base.exit"; fi
  [ -s "$base.stdout" ] || rm -f "$base.stdout"
  [ -s "$base.stderr" ] || rm -f "$base.stderr"
  exit 0
fi
fail=0
# An empty file of our own stands for a missing expectation, rather than
# /dev/null, which a sandbox may provide as an ordinary (writable) file.
: >empty
expected_exit=0
[ -f "$base.exit" ] && expected_exit=$(cat "$base.exit")
if [ "$code" != "$expected_exit" ]; then
  echo "exit code $code, expected $expected_exit"
  fail=1
fi
for stream in stdout stderr; do
  expected="$base.$stream"
  [ -f "$expected" ] || expected=empty
  if ! diff -u "$expected" "$stream"; then
    echo "($stream differs from $expected)"
    fail=1
  fi
done
exit $fail
