# Pairs and cluster bootstraps with absorbed fixed effects refit every
# replicate. By Frisch-Waugh-Lovell each replicate must equal the same
# resample's regression with the fixed effects as dummies, which takes the
# algebraic path (sufficient statistics) with the same draws: the saved
# draws agree to 1e-9 (observed 6e-14). With cluster resampling a dummy
# can be all zero in a replicate (a level not drawn): that replicate fails
# on the dummy path and not on the absorbed one, so the dummies' draws
# are matched as a subset of the absorbed ones.
S="$DATA/../../../datasets/learners_sample.csv"
X="sales ~ trained + prior_perf + tenure"
"$ATTRIB" ols "$S" --formula "$X | team" --treat trained --bootstrap 199 --seed 3 --save-draws fe.csv -q >/dev/null
"$ATTRIB" ols "$S" --formula "$X + factor(team)" --treat trained --bootstrap 199 --seed 3 --save-draws dum.csv -q >/dev/null
paste -d, fe.csv dum.csv | awk -F, 'NR > 1 { d = $2 - $4; if (d < 0) d = -d; if (d > m) m = d; n++ }
  END { print "pairs, | team vs factor(team): " n " replicates, " (m <= 1e-9 ? "equal to 1e-9" : "differ by " m) }'
"$ATTRIB" ols "$S" --formula "$X | region + role" --cluster team --boot-type cluster --treat trained --bootstrap 199 \
  --seed 3 --save-draws fe2.csv -q >/dev/null
"$ATTRIB" ols "$S" --formula "$X + factor(region) + factor(role)" --cluster team --boot-type cluster --treat trained \
  --bootstrap 199 --seed 3 --save-draws dum2.csv -q >/dev/null
tail -n +2 fe2.csv | cut -d, -f2 | sort -g >a.txt
tail -n +2 dum2.csv | cut -d, -f2 | sort -g >b.txt
awk 'NR == FNR { a[++na] = $1; next }
  { while (j < na && a[j + 1] < $1 - 1e-9) j++; d = a[j + 1] - $1; if (d < 0) d = -d; nb++; hit += d <= 1e-9 }
  END { print "cluster, | region + role vs dummies: " na " replicates absorbed, " nb " with dummies, " hit " of them matched to 1e-9" }' a.txt b.txt
"$ATTRIB" ols "$S" --formula "$X | team" --treat trained --bootstrap 199 --seed 3 --threads 1 --save-draws t1.csv -q >/dev/null
"$ATTRIB" ols "$S" --formula "$X | team" --treat trained --bootstrap 199 --seed 3 --threads 2 --save-draws t2.csv -q >/dev/null
cmp -s t1.csv t2.csv && echo "threads 1 and 2: identical draws" || echo "threads 1 and 2: draws differ"
