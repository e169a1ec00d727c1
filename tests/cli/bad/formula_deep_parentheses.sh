# class: formula limits; 10,000 nested parentheses (a stack overflow before): exit 2 at once, nested more than 256 deep (the caret line is cut to 200 characters here)
cp "$DATA/learners.csv" .
open=$(printf '%*s' 10000 '' | tr ' ' '('); close=$(printf '%*s' 10000 '' | tr ' ' ')')
"$ATTRIB" ols learners.csv --formula "sales ~ ${open}trained${close}" -o out.txt 2>err
code=$?
cut -c1-200 err >&2
ls out.* 2>/dev/null || echo "no output file"
exit $code
