# issue 12, defect 6: when nothing can be estimated analyze exits non-zero
# with one line saying why, and writes no report (it used to exit 0 with
# "0 learners (0 trained, 0 not)", nan baselines and "E-value nan").
cp "$DATA/../../../datasets/learners_sample.csv" learners.csv
S=learners.csv
C="prior_perf,engagement,tenure"
try() { "$ATTRIB" analyze "$1" --outcome "$2" --treat "$3" --covariates "$C" --report r.html -o out.txt 2>&1
  echo "exit $?; report written: $([ -e r.html ] && echo yes || echo no); output written: $([ -e out.txt ] && echo yes || echo no)"; }
try "$S" role trained
try "$S" sales region
awk -F, 'BEGIN { OFS = "," } NR > 1 { $17 = 1 } { print }' "$S" >all.csv
try all.csv sales trained
awk -F, 'BEGIN { OFS = "," } NR > 1 { $17 = 0 } { print }' "$S" >none.csv
try none.csv sales trained
head -2 "$S" >one.csv
try one.csv sales trained
head -4 "$S" >three.csv
try three.csv sales trained
