# class: option range; roi --effect 1e300 --learners 1e300 (benefit inf, ROI inf% and a 300-digit cost with exit 0): exit 1 or 2 naming the overflow
"$ATTRIB" roi --effect 1e300 --se 2 --learners 1e300 --cost-per-learner 50 -o out.txt
code=$?
ls out.* 2>/dev/null || echo "no output file"
exit $code
