# class: output target; simulate -o an existing directory: exit 1, is a directory, needs a file name
mkdir target.d
"$ATTRIB" simulate --rows 100 -o target.d
code=$?
ls out.* 2>/dev/null || echo "no output file"
exit $code
