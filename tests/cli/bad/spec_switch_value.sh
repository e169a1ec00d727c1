# class: INI spec; a switch (per-outcome-rows) given a value other than true or false: exit 1 naming the file, line and key, not the flag parser's 'analyze needs DATA'
cp "$DATA/learners.csv" .
printf 'outcome = sales,churned\ntreat = trained\ncovariates = tenure\nper-outcome-rows = maybe\n' >s.ini
"$ATTRIB" analyze learners.csv --spec s.ini -o out.txt
code=$?
ls out.* 2>/dev/null || echo "no output file"
exit $code
