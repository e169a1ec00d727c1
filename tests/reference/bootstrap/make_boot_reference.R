# References for `attrib ols --bootstrap` (tests/cli/bootstrap/reference.sh).
# boot_data.csv: `attrib simulate --rows 400 --seed 3 --teams 8`, columns
# learner_id, team, region, prior_perf, engagement, trained, sales. Model:
# sales ~ trained + prior_perf + engagement, the coefficient of trained,
# clustered by team (G = 8).
#  1. Wild cluster bootstrap with Rademacher weights and all 2^8 = 256 sign
#     vectors (what attrib does when 2^G <= B, as boottest): deterministic,
#     so compared exactly. Brute force: one lm per sign vector on
#     y* = fitted + v_g * residual, its CR1 SE from sandwich::vcovCL (HC1);
#     WCR (null imposed) for the p-value, WCU for the studentized and the
#     percentile intervals (type-7 quantiles).
#  2. Cluster (pairs of clusters) bootstrap with boot::boot, R = 9999:
#     SE, percentile and BCa intervals, compared within Monte Carlo error.
#  4. Logit pairs bootstrap (trained ~ prior_perf + engagement, the
#     coefficient of prior_perf) with boot::boot and glm, R = 4999:
#     SE, percentile and BCa.
#  3. Pairs (rows) bootstrap with boot::boot, R = 9999: SE, percentile, BCa
#     and studentized (bootstrap-t with the HC1 variance of each replicate,
#     boot's var.t0 / second statistic) intervals.
suppressMessages({library(sandwich); library(boot)})
d <- read.csv("boot_data.csv")
f <- sales ~ trained + prior_perf + engagement
m <- lm(f, d)
b <- coef(m)[["trained"]]
se <- sqrt(vcovCL(m, cluster = ~team, type = "HC1")["trained", "trained"])
g <- as.integer(factor(d$team)); G <- max(g)
V <- as.matrix(expand.grid(rep(list(c(1, -1)), G)))   # 256 x 8 sign vectors
star <- function(fit, null) {
  u <- residuals(fit); yh <- fitted(fit)
  t(apply(V, 1, function(v) {
    ys <- yh + v[g] * u
    dd <- d; dd$sales <- ys
    ms <- lm(f, dd)
    c(coef(ms)[["trained"]], sqrt(vcovCL(ms, cluster = d$team, type = "HC1")["trained", "trained"]))
  }))
}
r <- star(lm(sales ~ prior_perf + engagement, d), 0)        # WCR: trained's coefficient 0
p_wcr <- mean(abs(r[, 1] / r[, 2]) >= abs(b / se) * (1 - 1e-12))
u <- star(m, b)                                               # WCU
tu <- (u[, 1] - b) / u[, 2]
q <- function(x, p) quantile(x, p, type = 7, names = FALSE)
out <- data.frame(name = c("estimate", "se_cr1", "wcr_p", "wcu_stud_low", "wcu_stud_high", "wcu_pct_low", "wcu_pct_high", "wcu_sd"),
                  value = c(b, se, p_wcr, b - q(tu, 0.975) * se, b - q(tu, 0.025) * se, q(u[, 1], 0.025), q(u[, 1], 0.975), sd(u[, 1])))
# 2. the cluster bootstrap
set.seed(42)
cl <- split(seq_len(nrow(d)), g)
bt <- boot(seq_len(G), function(ids, i) coef(lm(f, d[unlist(cl[ids[i]]), ]))[["trained"]], R = 9999)
ci <- boot.ci(bt, type = c("perc", "bca"))
out <- rbind(out, data.frame(name = c("cluster_sd", "cluster_pct_low", "cluster_pct_high", "cluster_bca_low", "cluster_bca_high"),
                             value = c(sd(bt$t), ci$percent[4:5], ci$bca[4:5])))
# 3. the pairs bootstrap
set.seed(43)
stat <- function(dd, i) { mm <- lm(f, dd[i, ]); c(coef(mm)[["trained"]], vcovHC(mm, type = "HC1")["trained", "trained"]) }
bp <- boot(d, stat, R = 9999)
cp <- boot.ci(bp, type = c("perc", "bca", "stud"))
out <- rbind(out, data.frame(name = c("pairs_sd", "pairs_pct_low", "pairs_pct_high", "pairs_bca_low", "pairs_bca_high",
                                      "pairs_stud_low", "pairs_stud_high"),
                             value = c(sd(bp$t[, 1]), cp$percent[4:5], cp$bca[4:5], cp$student[4:5])))
# 4. the logit pairs bootstrap
set.seed(44)
bl <- boot(d, function(dd, i) coef(glm(trained ~ prior_perf + engagement, binomial, dd[i, ]))[["prior_perf"]], R = 4999)
cl4 <- boot.ci(bl, type = c("perc", "bca"))
out <- rbind(out, data.frame(name = c("logit_sd", "logit_pct_low", "logit_pct_high", "logit_bca_low", "logit_bca_high"),
                             value = c(sd(bl$t), cl4$percent[4:5], cl4$bca[4:5])))
write.csv(format(out, digits = 15), "boot_expected.csv", row.names = FALSE, quote = FALSE)
print(out)
