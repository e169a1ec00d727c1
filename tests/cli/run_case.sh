#!/usr/bin/env bash
# Runs one CLI golden case: tests/cli/<command>/<case>.sh, in a fresh
# temporary folder, with $ATTRIB pointing at the binary and $DATA at
# tests/cli/data and $REFERENCE at tests/reference. Compares stdout, stderr and the exit code with
# <case>.stdout, <case>.stderr and <case>.exit (missing = empty / 0);
# numbers may differ by a relative 1e-11 (tests/support/numdiff.c).
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
  if ! diff -u "$expected" "$stream" >"$stream.diff"; then
    # Numbers printed to 17 digits may differ in their last bits with the
    # CPU kernel OpenBLAS picks; numdiff accepts a relative 1e-11 and
    # nothing else (tests/support/numdiff.c).
    if [ -n "${ATTRIB_NUMDIFF:-}" ] && "$ATTRIB_NUMDIFF" "$expected" "$stream" 2>"$stream.numdiff"; then
      echo "($stream equals $expected to a relative 1e-11)"
    else
      cat "$stream.diff" "$stream.numdiff" 2>/dev/null
      echo "($stream differs from $expected)"
      fail=1
    fi
  fi
done
exit $fail
