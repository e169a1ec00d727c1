# class: usage; power without --n or --mde: exit 2 naming both
"$ATTRIB" power --design rct --sd 40 -o out.txt
code=$?
ls out.* 2>/dev/null || echo "no output file"
exit $code
