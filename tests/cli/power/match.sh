# matching with 30% trained: 1:1 matches, the normal approximation
"$ATTRIB" power --design match --n 300 --treated-share 0.3 --sd 40
"$ATTRIB" power --design match --n 300 --treated-share 0.3 --sd 40 --format csv
# 70% trained: 90 controls make 90 pairs; the other 120 trained go unmatched (the same MDE as 30%)
"$ATTRIB" power --design match --n 300 --treated-share 0.7 --sd 40
