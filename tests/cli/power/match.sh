# matching with 30% trained: 1:1 matches, the normal approximation
"$ATTRIB" power --design match --n 300 --treated-share 0.3 --sd 40
"$ATTRIB" power --design match --n 300 --treated-share 0.3 --sd 40 --format csv
