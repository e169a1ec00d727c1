# draw b comes from stream (seed, purpose, b): the output is the same on 1, 2 and 3 threads
cp "$REFERENCE/mediation/mediation_data.csv" .
for m in quasi-bayes bootstrap; do
  for th in 1 2 3; do
    "$ATTRIB" mediate mediation_data.csv --treat t --mediator m --outcome y \
      --covariates 'x1,factor(role)' --interaction --ci-method $m --sims 301 --seed 9 --threads $th --format json -q >out$th.json
  done
  cmp out1.json out2.json && cmp out1.json out3.json && echo "$m: identical on 1, 2 and 3 threads"
done
