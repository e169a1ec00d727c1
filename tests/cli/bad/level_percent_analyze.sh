# class: option range; analyze --level 95 (a percentage; --level 2 printed "200% intervals"): exit 2, the level must lie in (0, 1), no report
cp "$DATA/learners.csv" .
"$ATTRIB" analyze learners.csv --outcome sales --treat trained --covariates tenure --level 95 -o out.txt --report out.html
code=$?
ls out.* 2>/dev/null || echo "no output file"
exit $code
