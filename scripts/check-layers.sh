#!/usr/bin/env bash
# The library's folders depend downward only (docs/design.md, "Layers"):
# a file may include a project header of its own folder or of a folder
# below it in LAYERS, never one above. The CLI includes only <attrib/...>
# and its own headers, by their bare names ("cli.h": its include path is
# include/ and src/cli). Prints every violation; exits 1 if there is one.
# With a build folder, the same rule is checked on the linked symbols: every
# symbol an object file of the library uses must be defined by an object of
# its own folder or of one below (a public header included from above is
# caught here: bootstrap.c calling attrib_logit_fit, say). And the CLI's
# objects may call the library only through its public attrib_ functions:
# no attrib__ internal, and no symbol of the libraries attrib is built on
# (GSL, OpenBLAS/LAPACKE, jansson, libcsv, zlib), which are the library's
# private dependencies.
# It also refuses command-line flags in the library's text (below).
# Usage: scripts/check-layers.sh [SOURCE_ROOT [BUILD_DIR]]
set -u
root=${1:-$(cd "$(dirname "$0")/.." && pwd)}
LAYERS="core data design inference regression matching did roi sensitivity power mediation simulate analyze output cli"
rank() { local i=0; for l in $LAYERS; do [ "$l" = "$1" ] && { echo $i; return; }; i=$((i + 1)); done; echo -1; }
bad=0
for f in "$root"/src/*/*.[ch]; do
  folder=$(basename "$(dirname "$f")")
  fr=$(rank "$folder")
  if [ "$fr" -lt 0 ]; then echo "$f: folder '$folder' is not in the layer list"; bad=1; continue; fi
  while IFS= read -r inc; do
    dep=${inc%%/*}
    if [ "$folder" = cli ]; then
      [[ "$inc" != */* && -f "$root/src/cli/$inc" ]] && continue
      echo "${f#$root/}: includes \"$inc\": the CLI sees only <attrib/...> and its own headers (\"cli.h\")"; bad=1; continue
    fi
    [[ "$inc" == */* ]] || { echo "${f#$root/}: includes \"$inc\" without its folder"; bad=1; continue; }
    dr=$(rank "$dep")
    if [ "$dr" -lt 0 ]; then echo "${f#$root/}: includes \"$inc\" from an unknown folder"; bad=1
    elif [ "$dr" -gt "$fr" ]; then echo "${f#$root/}: includes \"$inc\": $folder may not depend on $dep (above it)"; bad=1; fi
  done < <(sed -n 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*"\([^"]*\)".*/\1/p' "$f")
done
[ $bad = 0 ] && echo "layers: every include points down ($LAYERS)"
# The library never names a command-line flag (issue 13): its text names an
# options field ("ols.fe_max_iter", "psm.method ipw") and the CLI maps it to
# the flag (src/cli/cli_common.c, option_flags). A line of src/ outside
# src/cli with a string literal holding "--" and a letter is taken for a flag.
# FLAG_ALLOW lists "path:text" lines that are not flags, each with its reason
# (none so far); a match there is skipped.
FLAG_ALLOW=(
)
flag_bad=0
while IFS= read -r hit; do
  [ -z "$hit" ] && continue
  rel=${hit#$root/}
  line=${rel#*:}; line=${line#*:}
  skip=0
  for a in "${FLAG_ALLOW[@]+"${FLAG_ALLOW[@]}"}"; do [ "${rel%%:*}:$line" = "$a" ] && skip=1; done
  [ $skip = 1 ] && continue
  echo "$rel: a command-line flag in library text: name the options field (struct.field) instead"
  flag_bad=1
done < <(grep -rnE '"[^"]*--[A-Za-z]' "$root"/src --include='*.c' --include='*.h' | grep -v "^$root/src/cli/")
[ $flag_bad = 0 ] && echo "layers: no command-line flag in library text"
[ $flag_bad = 0 ] || bad=1
# Every allocation of the library goes through the project allocator
# (attrib__malloc/calloc/realloc/strdup, core/alloc.c: overflow checks and
# the OOM tests' failure countdown; docs/design.md, "Ownership"); only
# core/alloc.c calls libc's. The CLI may use libc for its own memory. With
# a build folder the objects' symbols are checked too (a macro or a
# spelling the pattern misses).
ALLOC_RE='malloc|calloc|realloc|reallocarray|free|strdup|strndup|aligned_alloc|posix_memalign|memalign|valloc'
alloc_bad=0
while IFS= read -r hit; do
  [ -z "$hit" ] && continue
  rel=${hit#$root/}
  echo "${rel%%:*}:$(cut -d: -f2 <<<"$rel"): calls libc's allocator: use attrib__malloc/calloc/realloc/free/strdup"
  alloc_bad=1
done < <(grep -rnE "(^|[^_A-Za-z0-9.>])($ALLOC_RE)[[:space:]]*\(" "$root"/src --include='*.c' --include='*.h' |
  grep -v "^$root/src/cli/" | grep -v "^$root/src/core/alloc\.c:" | grep -vE '^[^:]*:[0-9]+:[[:space:]]*(/?\*|//)')
build=${2:-}
if [ -n "$build" ]; then
  objdir="$build/CMakeFiles/attrib_obj.dir/src"
  [ -d "$objdir" ] || { echo "no objects in $objdir"; exit 1; }
  defs=$(mktemp); uses=$(mktemp); trap 'rm -f "$defs" "$uses"' EXIT
  for o in "$objdir"/*/*.o; do
    folder=$(basename "$(dirname "$o")")
    nm --defined-only "$o" | awk -v f="$folder" '$2 ~ /^[TDBRC]$/ { print $3, f }'
  done | sort >"$defs"
  for o in "$objdir"/*/*.o; do
    nm --undefined-only "$o" | awk -v f="$(basename "$(dirname "$o")")" -v b="$(basename "${o%.o}")" '{ print $2, f, b }'
  done >"$uses"
  # one pass: each symbol's defining folder (the first in sort order), then
  # every use from a folder below it
  sym_bad=0
  awk -v layers="$LAYERS" '
    BEGIN { n = split(layers, L, " "); for (i = 1; i <= n; i++) R[L[i]] = i - 1 }
    NR == FNR { if (!($1 in def)) def[$1] = $2; next }
    ($1 in def) && R[def[$1]] > R[$2] { print $2 "/" $3 ": calls " $1 ", defined in " def[$1] " (above " $2 ")"; bad = 1 }
    END { exit bad }' "$defs" "$uses" || sym_bad=1
  [ $sym_bad = 0 ] && echo "layers: every call points down"
  [ $sym_bad = 0 ] || bad=1
  for o in "$objdir"/*/*.o; do
    [ "$(basename "$o")" = alloc.c.o ] && [ "$(basename "$(dirname "$o")")" = core ] && continue
    nm --undefined-only "$o" | awk -v re="^($ALLOC_RE)\$" -v f="$(basename "$(dirname "$o")")/$(basename "${o%.o}")" '
      $2 ~ re { print f ": calls " $2 " (all allocation goes through attrib__malloc/calloc/realloc, core/alloc.c)"; bad = 1 }
      END { exit bad }' || alloc_bad=1
  done
  [ $alloc_bad = 0 ] && echo "layers: every allocation of the library goes through core/alloc.c"
  [ $alloc_bad = 0 ] || bad=1
  clidir="$build/CMakeFiles/attrib.dir/src/cli"
  ls "$clidir"/*.o >/dev/null 2>&1 || { echo "no objects in $clidir"; exit 1; }
  cli_bad=0
  for o in "$clidir"/*.o; do
    nm --undefined-only "$o" | awk -v b="$(basename "${o%.o}")" '
      $2 ~ /^(gsl_|cblas_|LAPACKE_|json_|csv_|gz|inflate|deflate|PQ|attrib__)/ {
        print "src/cli/" b ": calls " $2 " (the CLI calls only the public attrib_ API)"; bad = 1 }
      END { exit bad }' || cli_bad=1
  done
  [ $cli_bad = 0 ] && echo "layers: the CLI calls only the public API (no attrib__, GSL, BLAS, LAPACKE, jansson, libcsv, zlib or libpq symbol)"
  [ $cli_bad = 0 ] || bad=1
else
  [ $alloc_bad = 0 ] && echo "layers: no libc allocation call in the library's text"
  [ $alloc_bad = 0 ] || bad=1
fi
exit $bad
