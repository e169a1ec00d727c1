# The man page is generated from the --help texts (scripts/gen-man.sh): it
# has a section per command holding exactly that command's --help.
bash "${ATTRIB_SOURCE_DIR:-$DATA/../../..}/scripts/gen-man.sh" "$ATTRIB" attrib.1
for cmd in $("$ATTRIB" --help | awk '/^Commands:/ { on = 1; next } on && /^  [a-z]/ { print $1 } on && /^$/ { exit }'); do
  want=$("$ATTRIB" "$cmd" --help | head -1 | sed 's/\\/\\e/g')
  sec=$(awk -v s=".SH \"$(echo "$cmd" | tr a-z A-Z)\"" '$0 == s { getline; getline; print; exit }' attrib.1)
  [ "$sec" = "$want" ] && echo "$cmd: in the man page" || echo "$cmd: missing or different ($sec)"
done
