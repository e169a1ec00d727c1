# the simulation check: empirical power through attrib's OLS (cluster SEs for the cluster design)
# within 3 Monte Carlo SEs of the analytic power at the simulated size
check() {
  "$ATTRIB" power "$@" --simulate --reps 400 --seed 11 --format json >out.json || exit 1
  sed -n '/"simulation"/,/}/p' out.json
  awk -F': ' '/"simulation"/ { on = 1 } on && /"power"/ { p = $2 + 0 } on && /"mc_se"/ { s = $2 + 0 }
    on && /"analytic_power"/ { a = $2 + 0 }
    END { d = p - a; if (d < 0) d = -d; print (d <= 3 * s ? "within" : "OUTSIDE"), "3 Monte Carlo SEs" }' out.json
}
check --design rct --n 300 --mde 0.3
check --design rct --n 200 --mde 8 --sd 30 --ratio 0.5 --r2 0.4 --sides 1
check --design cluster --n 400 --mde 0.5 --icc 0.1 --cluster-size 10
check --design cluster --n 600 --mde 0.35 --icc 0.05 --cluster-size 15 --r2 0.2
"$ATTRIB" power --design cluster --n 400 --mde 0.5 --icc 0.1 --cluster-size 10 --simulate --reps 200 --seed 5
# the same result on 1, 2 and 3 threads: replicate b's data come from stream (seed, b) and the sums run in replicate order
for t in 1 2 3; do
  "$ATTRIB" power --design cluster --n 400 --mde 0.5 --icc 0.1 --cluster-size 10 --r2 0.2 --simulate --reps 300 --seed 4 --threads $t --format json >t$t.json
done
cmp -s t1.json t2.json && cmp -s t1.json t3.json && echo "threads 1, 2 and 3: identical" || echo "threads: differ"
# did: the engine's 2x2 on pre/post panels with correlation rho
check --design did --n 200 --mde 0.35 --rho 0.5
check --design did --n 300 --mde 0.4 --rho -0.3 --ratio 0.5
