#!/usr/bin/env bash
# docs.flags (issue 20): every flag a command's parser accepts is documented
# in its --help (and so in the man page, which scripts/gen-man.sh makes from
# the --help texts) and in docs/cli.md, and no flag the docs name is unknown
# to the parser.
#
# The accepted set comes from the parsers themselves: with ATTRIB_LIST_FLAGS=1
# every getopt_long of src/cli prints its option table and exits
# (cli_getopt_long, src/cli/cli.h), one option a line with its spellings
# ("-o --output"; an option is documented when one spelling is). The
# commands are those `attrib --help` lists, and each command's parsers are
# the invocations its --help's usage lines show (`attrib sensitivity ovb`,
# `attrib sensitivity spec psm`).
#
# docs/cli.md: a command's flags are documented in its `## command`
# section. The options every parser shares, and those every parser that
# reads data shares (--format, -o, --delim, --na, ...), may instead be in the
# sections that are not a command's ("Options every command takes",
# "Reading exports", ...). Backward: every flag a command's section names
# (outside code blocks, which docs.examples runs) is accepted by one of the
# command's parsers, every flag of the other sections by some parser, and
# every flag the --help names by one of its parsers. Code spans that start
# with another program (`chromium --headless ...`) are not attrib's flags,
# and one that shows another command (`attrib roi --from` in logit's
# section) names that command's.
#
# Each failure is one line naming the command, the flag and the file.
# Usage: flags.sh ATTRIB SOURCE_DIR
set -u
attrib=$1 src=$2
cli_md="$src/docs/cli.md"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail=0 nflags=0 nparsers=0
# the flags in a text: --long and -x, as whole words
flags_in() {
  grep -oE -- '(^|[^A-Za-z0-9_-])(--[a-z]([a-z0-9-]*[a-z0-9])?|-[A-Za-z])([^A-Za-z0-9_-]|$)' |
    sed -E 's/^[^-]*//; s/[^A-Za-z0-9]$//' | sort -u
}
# a Markdown text without its fenced code blocks, its comment lines (the
# markers of docs.examples) and code spans that start with another program
md_prose() {
  awk '/^```/ { fence = !fence; next } fence { next }
    /^<!--/ { incomment = 1 } incomment { if (/-->/) incomment = 0; next } 1' |
    sed -E 's/`(chromium|cmake|pkg-config|gzip|bash|jq|R|Rscript|sed|awk|ulimit)( [^`]*)?`//g'
}
# the text of cli.md's `## NAME` section (NAME empty: every section that is
# not a command's, and the text before the first section)
section() {
  awk -v want="$1" -v cmds=" $cmds " '
    /^```/ { fence = !fence }
    !fence && /^## / { name = $2; in_cmd = index(cmds, " " name " ") > 0 }
    (want == "" && !in_cmd) || (want != "" && in_cmd && name == want)' "$cli_md"
}
cmds=$("$attrib" --help | awk '/^Commands:/ { on = 1; next } on && /^  [a-z]/ { print $1 } on && /^$/ { exit }' | tr '\n' ' ')
[ -n "$cmds" ] || { echo "FAIL: no commands in 'attrib --help'"; exit 1; }
bash "$src/scripts/gen-man.sh" "$attrib" "$work/attrib.1"
section "" | md_prose >"$work/global.md"
: >"$work/all_accepted"
for cmd in $cmds; do
  "$attrib" "$cmd" --help >"$work/$cmd.help" 2>&1 || { echo "FAIL: $cmd: 'attrib $cmd --help' failed"; fail=1; continue; }
  # the parsers: the usage lines' invocations, up to the first operand or option
  awk -v cmd="$cmd" '$0 ~ "^(Usage:)? +attrib " cmd "( |$)" {
      sub(/^(Usage:)? +attrib /, ""); inv = ""
      for (i = 1; i <= NF; i++) { if ($i !~ /^[a-z][a-z|]*$/) break; w = $i; sub(/\|.*/, "", w); inv = inv (inv == "" ? "" : " ") w }
      print inv }' "$work/$cmd.help" | sort -u >"$work/$cmd.parsers"
  [ -s "$work/$cmd.parsers" ] || echo "$cmd" >"$work/$cmd.parsers"
  : >"$work/$cmd.accepted"
  while read -r inv; do
    # shellcheck disable=SC2086
    ATTRIB_LIST_FLAGS=1 "$attrib" $inv </dev/null >"$work/list" 2>/dev/null
    if [ ! -s "$work/list" ]; then
      echo "FAIL: attrib $inv: ATTRIB_LIST_FLAGS=1 listed no flags (does its parser call getopt_long through cli.h?)"
      fail=1; continue
    fi
    nparsers=$((nparsers + 1))
    sed "s|^|$inv\t|" "$work/list" >>"$work/$cmd.accepted"
  done <"$work/$cmd.parsers"
  cat "$work/$cmd.accepted" >>"$work/all_accepted"
  # a code span that shows another command (`attrib roi --from`) names that command's flags
  section "$cmd" | md_prose | CMD=$cmd perl -pe 's/`attrib ([a-z]+)[^`]*`/$1 eq $ENV{CMD} ? $& : ""/ge' >"$work/$cmd.md"
  flags_in <"$work/$cmd.help" >"$work/$cmd.help.flags"
  flags_in <"$work/$cmd.md" >"$work/$cmd.md.flags"
done
# the shared options: accepted by every parser, or by every parser that takes --delim
awk -F'\t' '{ n[$1]; seen[$1 "\t" $2] = 1; opts[$2] } $2 == "--delim" { data[$1] }
  END { for (o in opts) { all = 1; alld = 1
          for (p in n) { if (!((p "\t" o) in seen)) { all = 0; if (p in data) alld = 0 } }
          if (all || alld) print o } }' "$work/all_accepted" | sort -u >"$work/shared"
flags_in <"$work/global.md" >"$work/global.flags"
flags_in <"$work/attrib.1" >"$work/man.flags"
for cmd in $cmds; do
  has_section=$(section "$cmd" | head -1)
  # forward: each accepted option, in --help, the man page and cli.md
  cut -f2 "$work/$cmd.accepted" | sort -u |
    awk -v cmd="$cmd" -v has_section="$has_section" -v h="$work/$cmd.help.flags" -v m="$work/man.flags" \
      -v d="$work/$cmd.md.flags" -v g="$work/global.flags" -v sh="$work/shared" '
      BEGIN { while ((getline l < h) > 0) help[l]; while ((getline l < m) > 0) man[l]
              while ((getline l < d) > 0) md[l]; while ((getline l < g) > 0) glob[l]
              while ((getline l < sh) > 0) shared[l] }
      { in_help = in_man = in_md = 0; n = split($0, sp, " ")
        for (i = 1; i <= n; i++) { s = sp[i]
          if (s in help) in_help = 1; if (s in man) in_man = 1; if (s in md) in_md = 1
          if (($0 in shared) && (s in glob)) in_md = 1 }
        name = n > 1 ? sp[1] " (" sp[2] ")" : $0
        if (!in_help) print "FAIL: " cmd ": " name " is accepted but not in \047attrib " cmd " --help\047 (src/cli/cmd_" cmd ".c)"
        if (in_help && !in_man) print "FAIL: " cmd ": " name " is accepted but not in the man page (scripts/gen-man.sh)"
        if (!in_md) {
          if (has_section == "") print "FAIL: " cmd ": " name " is accepted but docs/cli.md has no \047## " cmd "\047 section"
          else print "FAIL: " cmd ": " name " is accepted but not in docs/cli.md, section \047## " cmd "\047" } }' >"$work/fwd"
  # backward: each documented flag is accepted
  cut -f2 "$work/$cmd.accepted" | tr ' ' '\n' | sort -u >"$work/$cmd.known"
  comm -23 "$work/$cmd.help.flags" "$work/$cmd.known" | sed "s|^|FAIL: $cmd: 'attrib $cmd --help' names |; s|\$| but no parser of $cmd accepts it (src/cli/cmd_$cmd.c)|" >>"$work/fwd"
  comm -23 "$work/$cmd.md.flags" "$work/$cmd.known" | sed "s|^|FAIL: $cmd: docs/cli.md, section '## $cmd', names |; s|\$| but no parser of $cmd accepts it|" >>"$work/fwd"
  n=$(cut -f2 "$work/$cmd.accepted" | sort -u | wc -l)
  nflags=$((nflags + n))
  if [ -s "$work/fwd" ]; then cat "$work/fwd"; fail=1; fi
done
# main's own: attrib --version
{ cut -f2 "$work/all_accepted" | tr ' ' '\n'; "$attrib" --version >/dev/null 2>&1 && echo --version; } | sort -u >"$work/all.known"
# attrib --help's own words ("Every command takes --format ... and -o FILE")
"$attrib" --help | flags_in | comm -23 - "$work/all.known" | sed 's|^|FAIL: '"'"'attrib --help'"'"' names |; s|$|, which no command accepts (src/cli/main.c)|' | tee "$work/top"
[ -s "$work/top" ] && fail=1
comm -23 "$work/global.flags" "$work/all.known" | sed 's|^|FAIL: docs/cli.md names |; s|$| outside the commands'"'"' sections, but no command accepts it|'
[ -z "$(comm -23 "$work/global.flags" "$work/all.known")" ] || fail=1
# the commands written in the prose of every Markdown page (`attrib did
# --base-period universal --honest rm` in docs/methods/did.md): each flag is
# one the command accepts (the runnable examples are docs.examples')
nspans=0
for md in "$src"/README.md "$src"/docs/*.md "$src"/docs/methods/*.md "$src"/datasets/README.md "$src"/benchmarks/README.md; do
  [ -f "$md" ] || continue
  rel=${md#"$src"/}
  while IFS= read -r span; do
    cmd=$(awk '{ print $2 }' <<<"$span")
    [ -f "$work/$cmd.known" ] || continue
    nspans=$((nspans + 1))
    bad=$(flags_in <<<"${span#* }" | comm -23 - "$work/$cmd.known")
    for f in $bad; do
      echo "FAIL: $cmd: $rel writes \`$(head -c 120 <<<"$span")\` with $f, which attrib $cmd does not accept"; fail=1
    done
  done < <(md_prose <"$md" | tr '\n' ' ' | grep -oE '`(build/)?attrib [a-z]+[^`]*`' | tr -d '`' | sed 's|^build/||')
done
[ $fail = 0 ] && echo "docs.flags: $nflags options of $nparsers parsers ($(echo $cmds | wc -w) commands) are each in --help, the man page and docs/cli.md; every flag those name, and those of the $nspans commands in the pages' prose, is accepted"
exit $fail
