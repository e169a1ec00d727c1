# '-' reads standard input, and gzip is recognised by its magic bytes.
gzip -c "$DATA/werfel.csv" | "$ATTRIB" describe - --format csv
