# teams of 10 randomised, ICC 0.05: the design effect 1.45 and t with clusters - 2 df
"$ATTRIB" power --design cluster --mde 10 --sd 40 --icc 0.05 --cluster-size 10
"$ATTRIB" power --design cluster --n 400 --mde 10 --sd 40 --icc 0.05 --cluster-size 10 --format csv
