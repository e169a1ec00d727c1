#!/usr/bin/env bash
# docs.examples (issue 20): every shell example of the documentation runs,
# writes the files it names, and prints the numbers the prose quotes.
#
# The examples are the ```sh blocks of README.md, docs/guide.md, docs/cli.md
# and docs/methods/*.md (the man page has no examples: it is the --help
# texts, whose flags docs.flags checks). Each Markdown file gets a scratch
# folder in which its blocks run in order, as a reader would run them:
# build/attrib is the binary under test (also `attrib` on PATH) and
# datasets/ a copy of the bundled data. A block's commands (a line, with
# its `\` continuation lines) each run with `bash -o pipefail -c`; a command
# fails the test when it exits non-zero, or when a file it names as an
# output (-o, --output, --report, --report-md, --report-pdf, --matches,
# --audit, --truth, --save-draws, --sweep-out, --cells-out, --vcov-out, or
# a `>` redirection) is missing or empty afterwards.
#
# Markers are HTML comments (invisible on the rendered page), on their own
# lines, before (or, for check, after) the block they are about:
#
#   <!-- skip: REASON -->     the next block is not run; counted with REASON
#                             (R, the network, a long run, installing packages)
#   <!-- long: REASON -->     the next block runs only with ATTRIB_DOCS_LONG=1 in the
#                             environment (a run of minutes); else skipped and counted
#   <!-- needs: PROGRAM -->   the next block runs only where PROGRAM is on PATH
#                             (e.g. chromium for --report-pdf); else skipped and
#                             counted with the reason
#   <!-- must-fail: CODE -->  each command of the next block must exit with CODE
#                             (an example of an error); 0 or another code fails
#   <!-- setup:               hidden commands run in the scratch folder before the
#   ...                       next block, to make the inputs an example assumes
#   -->                       (export.csv ...); $ATTRIB_SOURCE is the source tree
#   <!-- check: SOURCE path=JQ value=V [tol=T] -->
#                             a number the prose quotes. SOURCE is cmd=N (the
#                             N-th command of the block just above, run again
#                             with --format json -q appended), json=FILE (a
#                             JSON file in the scratch folder) or run="CMD" (a
#                             command whose standard output is JSON). JQ is a
#                             jq filter giving a number (an expression is fine:
#                             '(2 - .effect.estimate) / .effect.std_error').
#                             V is the number exactly as the prose writes it
#                             ("6.4", "19,900", "66%"): the test fails when V
#                             is not in the text of the same section (prose or
#                             code, not comments; so editing the number in the
#                             text fails too), or when the command's
#                             number differs from V by more than T (default:
#                             half a unit of V's last digit, i.e. the number
#                             rounds to V). long="REASON": a long run, done
#                             only with ATTRIB_DOCS_LONG=1 in the environment,
#                             else counted as skipped (the text is still checked).
#                             A cmd= check of a skipped block is skipped too.
#
# Output: one line per failure naming FILE:LINE and the command; then counts
# of commands run, numbers checked and blocks skipped, with each reason.
# Usage: examples.sh ATTRIB SOURCE_DIR [FILE.md ...]
set -u
attrib=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
src=$(cd "$2" && pwd)
shift 2
if [ $# -gt 0 ]; then files=(); for f in "$@"; do files+=("$(realpath "$f")"); done; else
  files=("$src/README.md" "$src/docs/guide.md" "$src/docs/cli.md")
  for f in "$src"/docs/methods/*.md; do files+=("$f"); done
fi
command -v jq >/dev/null || { echo "FAIL: jq is needed (scripts/install-deps.sh installs it)"; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/bin"
ln -s "$attrib" "$work/bin/attrib"
export PATH="$work/bin:$PATH" ATTRIB_SOURCE="$src" OPENBLAS_NUM_THREADS=1
fail=0 nrun=0 nblocks=0 nchecks=0 nskip=0 nseen=0
: >"$work/skips"
out_flags=" -o --output --report --report-md --report-pdf --matches --audit --truth --save-draws --sweep-out --cells-out --vcov-out "

say_fail() { echo "FAIL: $*"; fail=1; }

# the files a command names as outputs, one a line
outputs_of() {
  awk -v flags="$out_flags" '{
    n = split($0, w, /[ \t\n]+/)
    for (i = 1; i <= n; i++) {
      t = w[i]
      if (index(flags, " " t " ") && i < n) print w[i + 1]
      else if (t ~ /^--[a-z-]+=/) { f = t; sub(/=.*/, "", f); if (index(flags, " " f " ")) { sub(/^[^=]*=/, "", t); print t } }
      else if ((t == ">" || t == ">>") && i < n) print w[i + 1]
      else if (t ~ /^>[^&>]/) print substr(t, 2)
    } }' <<<"$1" | tr -d "\"'" | grep -v '^-$' | grep -v '^/dev/'
}

# the text of each section of a Markdown file (headings outside code
# blocks start a section; comments left out, code blocks kept: a number a
# command takes from an earlier output is quoted too): $2.N
split_sections() {
  awk -v out="$2" 'BEGIN { n = 0; f = out "." n }
    /^```/ { fence = !fence; next }
    !fence && /^#+ / { n++; f = out "." n }
    /<!--/ { incomment = 1 }
    incomment { if (/-->/) incomment = 0; next }
    { print >> f }
    END { for (i = 0; i <= n; i++) printf "" >> (out "." i) }' "$1"
}

# a command of a block run again for its JSON: the trailing comment
# dropped (when it has no quote), --format json -q appended
json_of_cmd() {
  local c=$1
  c=$(sed -E 's/[[:space:]]+#[^"'\'']*$//' <<<"$c")
  bash -o pipefail -c "$c --format json -q" 2>"$work/check.err" </dev/null
}

# check: the marker's text (after "check:"), the file, its line, the block's commands file, the section
run_check() {
  local spec=$1 file=$2 line=$3 cmds=$4 sec=$5 skipped=$6
  local source="" path="" value="" tol="" long="" key val rest=$spec
  while [ -n "$rest" ]; do
    rest=${rest#"${rest%%[![:space:]]*}"}
    [ -n "$rest" ] || break
    key=${rest%%=*}
    rest=${rest#*=}
    if [ "${rest:0:1}" = '"' ]; then val=${rest:1}; val=${val%%\"*}; rest=${rest:$((${#val} + 2))}
    elif [ "${rest:0:1}" = "'" ]; then val=${rest:1}; val=${val%%\'*}; rest=${rest:$((${#val} + 2))}
    else val=${rest%%[[:space:]]*}; rest=${rest:${#val}}; fi
    case "$key" in
    cmd | json | run) source="$key=$val" ;;
    path) path=$val ;;
    value) value=$val ;;
    tol) tol=$val ;;
    long) long=$val ;;
    *) say_fail "$file:$line: check: unknown key '$key'"; return ;;
    esac
  done
  [ -n "$source" ] && [ -n "$path" ] && [ -n "$value" ] ||
    { say_fail "$file:$line: check: needs cmd=N, json=FILE or run=\"CMD\", path= and value="; return; }
  # the number as written is in the section's prose, as a whole number
  local re
  re=$(sed 's/[.[\*^$()+?{|]/\\&/g' <<<"$value")
  grep -qE -- "(^|[^0-9.,])$re([^0-9]|$)" "$sec" ||
    { say_fail "$file:$line: check: the prose of this section no longer quotes '$value'"; return; }
  if [ -n "$long" ] && [ "${ATTRIB_DOCS_LONG:-0}" != 1 ]; then
    nskip=$((nskip + 1)); echo "number $value: $long (ATTRIB_DOCS_LONG=1 runs it)" >>"$work/skips"; return
  fi
  if [ -n "$skipped" ] && [ "${source%%=*}" = cmd ]; then
    nskip=$((nskip + 1)); echo "number $value: its block was skipped: $skipped" >>"$work/skips"; return
  fi
  local json
  case "$source" in
  cmd=*)
    local n=${source#cmd=} c
    c=$(awk -v RS='\0' -v n="$n" 'NR == n' "$cmds")
    [ -n "$c" ] || { say_fail "$file:$line: check: the block above has no command $n"; return; }
    # once per command: the block's checks share its output
    local cache="$work/cache.$nseen.$n"
    if [ ! -e "$cache" ]; then
      json_of_cmd "$c" >"$cache.tmp" || { say_fail "$file:$line: check: command $n with --format json failed: $(head -1 "$work/check.err")"; return; }
      mv "$cache.tmp" "$cache"
    fi
    json=$(cat "$cache")
    ;;
  json=*) json=$(cat -- "${source#json=}" 2>/dev/null) || { say_fail "$file:$line: check: no file ${source#json=}"; return; } ;;
  run=*) json=$(bash -o pipefail -c "${source#run=}" 2>"$work/check.err" </dev/null) ||
    { say_fail "$file:$line: check: '${source#run=}' failed: $(head -1 "$work/check.err")"; return; } ;;
  esac
  nchecks=$((nchecks + 1))
  local got
  got=$(jq -r "$path" <<<"$json" 2>&1) || { say_fail "$file:$line: check: jq '$path': $got"; return; }
  awk -v v="$value" -v got="$got" -v tol="$tol" 'BEGIN {
      x = v; gsub(/[,%x]/, "", x); sub(/^\+/, "", x)
      if (tol == "") { d = 0; if (index(x, ".")) d = length(x) - index(x, "."); tol = 0.5 * 10 ^ -d }
      if (got !~ /^-?[0-9.]+([eE][-+]?[0-9]+)?$/) exit 2
      diff = got - x; if (diff < 0) diff = -diff
      exit !(diff <= tol * (1 + 1e-9)) }'
  case $? in
  0) ;;
  2) say_fail "$file:$line: check: $path is '$got', not a number" ;;
  *) say_fail "$file:$line: check: the prose says $value, the command gives $got (${path}; tolerance ${tol:-half the last digit})" ;;
  esac
}

# runs one block's commands (a NUL-separated file of "LINE<TAB>command")
run_block() {
  local file=$1 cmds=$2 must=$3 line c rc o
  nblocks=$((nblocks + 1))
  while IFS=$'\t' read -r -d '' line c; do
    nrun=$((nrun + 1))
    bash -o pipefail -c "$c" >"$work/stdout" 2>"$work/stderr" </dev/null
    rc=$?
    if [ -n "$must" ]; then
      [ "$rc" = "$must" ] || say_fail "$file:$line: exit $rc, the example is marked must-fail: $must: $(head -c 200 <<<"$c")"
      continue
    fi
    if [ $rc != 0 ]; then
      say_fail "$file:$line: exit $rc: $(head -c 300 <<<"$c")"
      sed 's/^/    /' "$work/stderr" | head -5
      continue
    fi
    while read -r o; do
      [ -n "$o" ] || continue
      [ -s "$o" ] || say_fail "$file:$line: the example names the output '$o', which is missing or empty: $(head -c 200 <<<"$c")"
    done < <(outputs_of "$c")
  done <"$cmds"
}

for md in "${files[@]}"; do
  rel=${md#"$src"/}
  dir="$work/scratch/${rel//\//_}"
  mkdir -p "$dir/build"
  ln -s "$attrib" "$dir/build/attrib"
  cp -r "$src/datasets" "$dir/datasets"
  split_sections "$md" "$work/sec"
  sec=0 fence=0 lineno=0 skip="" needs="" long="" must="" setup="" blockfile="" blockcmds="$work/none" blockskipped=""
  : >"$work/none"
  cd "$dir" || exit 1
  while IFS= read -r l || [ -n "$l" ]; do
    lineno=$((lineno + 1))
    if [ $fence = 1 ]; then
      if [[ $l == '```'* ]]; then
        fence=0
        # the block's commands: lines joined at a trailing backslash, blank and comment lines left out
        awk -v start="$blockstart" '{ ln = start + NR }
          { if (cont) buf = buf "\n" $0; else { buf = $0; first = ln } }
          /\\$/ { cont = 1; next } { cont = 0 }
          buf ~ /^[[:space:]]*(#|$)/ { next }
          { printf "%d\t%s%c", first, buf, 0; printf "%s%c", buf, 0 > text }' text="$work/cmds.text" "$blockfile" >"$work/cmds"
        blockcmds="$work/cmds.text"
        nseen=$((nseen + 1)) blockskipped=""
        if [ -n "$skip" ]; then
          blockskipped=$skip
        elif [ -n "$needs" ] && ! command -v "$needs" >/dev/null; then
          blockskipped="needs $needs, not installed here"
        elif [ -n "$long" ] && [ "${ATTRIB_DOCS_LONG:-0}" != 1 ]; then
          blockskipped="$long (ATTRIB_DOCS_LONG=1 runs it)"
        fi
        if [ -n "$blockskipped" ]; then
          nskip=$((nskip + 1)); echo "block: $blockskipped" >>"$work/skips"
        else
          if [ -n "$setup" ]; then
            bash -o pipefail -c "$setup" >"$work/setup.out" 2>&1 </dev/null ||
              { say_fail "$rel:$blockstart: the setup before this block failed:"; sed 's/^/    /' "$work/setup.out" | head -5; }
          fi
          run_block "$rel" "$work/cmds" "$must"
        fi
        skip="" needs="" long="" must="" setup=""
      else
        echo "$l" >>"$blockfile"
      fi
      continue
    fi
    markerline=$lineno
    case "$l" in
    '```sh'* | '```bash'* | '```console'*)
      fence=1 blockstart=$lineno blockfile="$work/block"; : >"$blockfile" ;;
    '```'*) fence=2 ;;
    '#'*) [[ $l =~ ^#+\  ]] && sec=$((sec + 1)) ;;
    '<!--'*)
      # a comment, up to its -->: a marker when it starts with one of the words
      marker=$l
      while [[ $marker != *"-->"* ]] && IFS= read -r l; do lineno=$((lineno + 1)); marker+=$'\n'"$l"; done
      marker=${marker#<!--}; marker=${marker%%-->*}
      marker=${marker#"${marker%%[![:space:]]*}"}
      word=${marker%%:*} body=${marker#*:} rawbody=${marker#*:}
      body=${body#"${body%%[![:space:]]*}"}; body=${body%"${body##*[![:space:]]}"}
      case "$word" in
      skip) skip=$body ;;
      needs) needs=$body ;;
      long) long=$body ;;
      must-fail) must=$body ;;
      setup) setup=""; [[ $rawbody == *$'\n'* ]] && setup=${rawbody#*$'\n'} ;;
      check) run_check "$body" "$rel" "$markerline" "$blockcmds" "$work/sec.$sec" "$blockskipped" ;;
      esac ;;
    esac
    # a non-sh code block: skipped to its end (its lines are not markers or headings)
    if [ $fence = 2 ]; then
      while IFS= read -r l; do lineno=$((lineno + 1)); [[ $l == '```'* ]] && break; done
      fence=0
    fi
  done <"$md"
  cd "$work" || exit 1
  rm -f "$work"/sec.*
done
summary="docs.examples: $nrun commands in $nblocks blocks of ${#files[@]} files ran; $nchecks numbers the prose quotes checked"
if [ $nskip -gt 0 ]; then
  summary+="; $nskip skipped, each with its reason:"
fi
echo "$summary"
sort "$work/skips" | uniq -c | sed -E 's/^ *([0-9]+) (.*)/  skipped (\1): \2/'
exit $fail
