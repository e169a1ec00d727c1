# The field's worked examples, exactly (issue 7):
#  cost 50,000; benefits 20,000 + 15,000 (200 h x 75) + 30,000 (500 h x 60)
#    + 20,000 (2 hires x 10,000) -> ROI 70%
#  50 reps x 1,000 uplift at 800 per rep -> 25%
#  250k uplift on 50k cost -> 400%
#  200 reps x 800/week x 48 weeks x 70% attribution at 1,000 per rep -> 2,588%;
#    the same at 50% -> 1,820% and 90% -> 3,356%
r() { "$ATTRIB" roi "$@" --format json | jq -r '"roi \(.roi_pct)%, benefit \(.benefit_total), cost \(.cost_total), net \(.net_benefit), bcr \(.bcr)"'; }
r --cost program=50000 --benefit sales=20000 --benefit productivity=200*75 --benefit time_saved=500*60 --benefit retention=2*10000
r --learners 50 --effect 1000 --cost-per-learner 800
r --benefit uplift=250000 --cost program=50000
for a in 0.7 0.5 0.9; do
  r --learners 200 --effect 800 --horizon 48 --attribution $a --cost-per-learner 1000
done
# break-even and payback by their definitions: 200 x 800 x 48 x A = 200,000
# at A = 200000 / 7680000; one week of benefit is 200 x 800 x 0.7 = 112,000,
# so payback takes 200000 / 112000 = 1.7857 weeks
"$ATTRIB" roi --learners 200 --effect 800 --horizon 48 --attribution 0.7 --cost-per-learner 1000 --format json |
  jq -r '"break-even attribution \(.breakeven_attribution), break-even effect \(.breakeven_effect), payback \(.payback_periods)"'
# decay: 100 learners x effect 10 x value 50 over 3 periods losing 20% a period:
# 50,000 (1 + 0.8 + 0.64) = 122,000 against 100,000 of cost -> 22%
r --learners 100 --effect 10 --value-per-unit 50 --horizon 3 --decay 0.2 --cost program=100000
