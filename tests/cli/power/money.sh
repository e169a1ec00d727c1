# the MDE in money: ROI at the MDE and the pilot size that detects the break-even effect
# (benefit = E x 1000 x 2 x 3, cost 60 x 1000: break-even E = 10)
"$ATTRIB" power --design rct --n 150 --sd 40 --value-per-unit 2 --horizon 3 --cost-per-learner 60 --learners 1000
"$ATTRIB" power --design rct --n 150 --sd 40 --value-per-unit 2 --horizon 3 --cost-per-learner 60 --learners 1000 --format json
# churn costs 8000 a leaver: the programme pays when churn falls, so the ROI is taken at -MDE
"$ATTRIB" power --design rct --n 150 --sd 0.3 --value-per-unit -8000 --cost-per-learner 200 --learners 1000
