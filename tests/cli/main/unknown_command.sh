"$ATTRIB" regress data.csv 2>err
code=$?
head -1 err
exit $code
