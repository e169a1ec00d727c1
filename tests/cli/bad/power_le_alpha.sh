# class: option range; power --power 0.03 (below --alpha 0.05): exit 2, the power must exceed alpha
"$ATTRIB" power --n 150 --power 0.03 -o out.txt
code=$?
ls out.* 2>/dev/null || echo "no output file"
exit $code
