# Issue 12, defect 11: without --se the text said "SE nan" and pointed at
# "the interval above" when there was none. Now no SE is printed, and the
# output says there is no interval and why.
"$ATTRIB" roi --effect 10 --learners 100 --cost a=500
"$ATTRIB" roi --effect 10 --learners 100 --cost a=500 >out.txt
grep -c "nan" out.txt
grep -c "interval above" out.txt
# with an SE the interval is there and the note refers to it
"$ATTRIB" roi --effect 10 --se 2 --learners 100 --cost a=500 | tail -3
# costs too uncertain for a bounded interval: said, never printed as [nan%, nan%]
"$ATTRIB" roi --effect 10 --se 2 --learners 100 --cost a=500@sd=400 | tail -6
"$ATTRIB" roi --effect 10 --se 2 --learners 100 --cost a=500@sd=400 --bootstrap 999 --seed 1 | tail -8
# a long cost-line name is printed whole
"$ATTRIB" roi --effect 10 --learners 100 --cost "$(printf 'x%.0s' $(seq 1 120))=500@sd=10" | grep -c "$(printf 'x%.0s' $(seq 1 120)) (sd 10)"
