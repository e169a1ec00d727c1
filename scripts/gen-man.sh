#!/usr/bin/env bash
# Generates the attrib(1) man page from the program's own --help texts, so
# the man page and `attrib --help` / `attrib CMD --help` have one source
# (the usage strings in src/cli/). Usage: gen-man.sh ATTRIB OUT.1
set -euo pipefail
attrib=$1 out=$2
esc() { sed -e 's/\\/\\e/g' -e 's/^\./\\\&./' -e "s/^'/\\\\\&'/"; }
tmp=$(mktemp)
{
  echo ".TH ATTRIB 1 \"$("$attrib" --version | awk '{ print $2 }')\" \"attrib\" \"User Commands\""
  echo ".SH NAME"
  echo "attrib \\- causal attribution of training effects and their ROI"
  echo ".SH SYNOPSIS"
  echo ".nf"
  "$attrib" --help | sed -n '1,3p' | esc
  echo ".fi"
  echo ".SH DESCRIPTION"
  echo ".nf"
  "$attrib" --help | sed -n '5,$p' | esc
  echo ".fi"
  for cmd in $("$attrib" --help | awk '/^Commands:/ { on = 1; next } on && /^  [a-z]/ { print $1 } on && /^$/ { exit }'); do
    echo ".SH \"$(echo "$cmd" | tr a-z A-Z)\""
    echo ".nf"
    "$attrib" "$cmd" --help | esc
    echo ".fi"
  done
  echo ".SH SEE ALSO"
  echo "docs/guide.md, docs/cli.md, docs/methods/ in the source tree."
} >"$tmp"
chmod 644 "$tmp"
mv "$tmp" "$out"
