# the seeds' pilot: 150 learners, 1:1, p < 0.05 two-sided, power 0.8; sd 40 (R: pwr.t.test(n = 75, power = 0.8)$d * 40 = 18.419887)
"$ATTRIB" power --design rct --n 150 --sd 40
