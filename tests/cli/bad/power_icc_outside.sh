# class: option range; power --icc 1.2: exit 2 naming --icc and [0, 1)
"$ATTRIB" power --design cluster --n 400 --icc 1.2 --cluster-size 10 -o out.txt
code=$?
ls out.* 2>/dev/null || echo "no output file"
exit $code
