# pre/post with a control group, pre/post correlation 0.6: change scores, variance factor 2 (1 - 0.6) = 0.8
"$ATTRIB" power --design did --n 150 --sd 40 --rho 0.6
"$ATTRIB" power --design did --n 150 --mde 12 --sd 40 --rho 0.6 --format json
