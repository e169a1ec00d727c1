# class: option range; power --n 2: exit 2, the t test needs over 2 learners
"$ATTRIB" power --design rct --n 2 -o out.txt
code=$?
ls out.* 2>/dev/null || echo "no output file"
exit $code
