# class: usage; power did without --rho: exit 2 naming --rho
"$ATTRIB" power --design did --n 150 -o out.txt
code=$?
ls out.* 2>/dev/null || echo "no output file"
exit $code
