# class: unreadable input; DATA a symlink to nothing: exit 1, cannot open
ln -s nowhere.csv link.csv
"$ATTRIB" did link.csv --outcome y --treat t --post p -o out.json
code=$?
ls out.* 2>/dev/null || echo "no output file"
exit $code
