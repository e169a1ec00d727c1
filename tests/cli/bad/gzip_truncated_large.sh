# class: gzip; learners.csv gzipped and cut to its first 20,000 bytes (a truncated gzip said "line 714: 6 fields, header has 20"): exit 1 saying the stream is truncated (the byte count, which depends on the compressor, is not checked)
gzip -nc "$DATA/learners.csv" | head -c 20000 >t.csv.gz
"$ATTRIB" describe t.csv.gz -o out.txt 2>err
code=$?
sed 's/after [0-9]* bytes/after N bytes/' err >&2
ls out.* 2>/dev/null || echo "no output file"
exit $code
