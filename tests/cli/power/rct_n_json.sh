# learners needed for an effect of 10 (sd 40), one treated to two controls, one-sided, with covariates explaining 30%
"$ATTRIB" power --design rct --mde 10 --sd 40 --ratio 0.5 --sides 1 --r2 0.3 --format json
