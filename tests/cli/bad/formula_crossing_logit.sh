# class: formula limits; a 13-way crossing of real columns in logit (8,192 terms): exit 2, expands to more than 4096 terms
cp "$DATA/learners.csv" .
"$ATTRIB" logit learners.csv --formula 'churned ~ trained*tenure*engagement*age*quota*remote*tickets*certifications*team*education_years*prior_perf*calls_per_week*territory_size' -o out.txt
code=$?
ls out.* 2>/dev/null || echo "no output file"
exit $code
