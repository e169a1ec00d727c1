# class: output target; -o into a folder that does not exist: exit 1 naming the output file
cp "$DATA/learners.csv" .
"$ATTRIB" describe learners.csv -o missing/out.txt
code=$?
ls out.* 2>/dev/null || echo "no output file"
exit $code
