# class: option range; power --n 30 in teams of 20: exit 2, fewer than 3 clusters
"$ATTRIB" power --design cluster --n 30 --icc 0.05 --cluster-size 20 -o out.txt
code=$?
ls out.* 2>/dev/null || echo "no output file"
exit $code
