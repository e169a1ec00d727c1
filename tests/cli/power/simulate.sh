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
