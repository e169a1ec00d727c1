# References for the wild cluster bootstrap of `attrib did` (2x2 and TWFE;
# tests/cli/did/wild_reference.sh). fwildclusterboot is not in Debian, so
# this is a brute-force WCR (restricted wild cluster bootstrap, as boottest):
# for a null theta, fit the model with the coefficient fixed at theta,
# y* = fitted + v_g * residual for every Rademacher sign vector v, REFIT
# the unrestricted model on each y* (lm.fit, one least-squares fit per
# column of Y*; two of them checked against lm + sandwich::vcovCL below),
# and count |t*| >= |t|, t* = (b* - theta) / se*(CR1), t = (b - theta) / se.
# With G <= 12 clusters all 2^G sign vectors are used (attrib enumerates
# them too), so the p-value is exact: no random numbers on either side.
# The confidence interval by test inversion is the set of theta whose
# p-value exceeds 0.05; its end points are found with uniroot on the
# step function p(theta) - 0.05 (each a jump of p, located to 1e-13).
#
# Cases (data written here, deterministic):
#  did_wild_2x2.csv    10 firms (4 treated) x 40 rows, pre/post, covariate x;
#                      y ~ treat * post + x, clustered by firm (1024 vectors)
#  did_wild_panel.csv  60 units in 10 teams, 6 periods, cohorts 3 and 5 and
#                      never treated; y ~ D + unit + period dummies, clustered
#                      by team (1024 vectors); units are nested in teams, the
#                      periods are not (attrib keeps the period dummies in X)
#  did_wild_tiny.csv   a 2x2 with 12 rows and no cluster: every row its own
#                      cluster, the heteroskedastic wild bootstrap (4096 vectors)
# Run with R 4.2.2 (sandwich 3.0-2): Rscript make_did_wild_reference.R
suppressMessages(library(sandwich))
set.seed(20261204)

# -- data --------------------------------------------------------------------
firm <- rep(1:10, each = 40)
treat <- as.integer(firm <= 4)
post <- rep(rep(0:1, each = 20), 10)
x <- round(rnorm(400), 3)
fe <- rnorm(10, sd = 2)[firm]
y <- round(10 + fe + 0.5 * post + 0.8 * treat + 1.2 * treat * post + 0.7 * x + rnorm(400, sd = 1 + 0.5 * treat), 3)
d2 <- data.frame(firm = firm, treat = treat, post = post, x = x, y = y)
write.csv(d2, "did_wild_2x2.csv", row.names = FALSE, quote = FALSE)

unit <- rep(1:60, each = 6); period <- rep(1:6, 60)
uteam <- (1:60 - 1) %/% 6 + 1 # the team of each unit
team <- uteam[unit]
cohort <- ifelse(uteam <= 3, 3, ifelse(uteam <= 6, 5, 0))[unit]
D <- as.integer(cohort > 0 & period >= cohort)
ue <- rnorm(60, sd = 1.5)[unit]; te <- rnorm(6)[period]; ce <- rnorm(10)[team]
yp <- round(5 + ue + te + 0.3 * ce * period / 6 + 1.5 * D + rnorm(360), 3)
dp <- data.frame(unit = unit, team = team, period = period, cohort = cohort, y = yp)
write.csv(dp, "did_wild_panel.csv", row.names = FALSE, quote = FALSE)

dt <- data.frame(treat = rep(c(0, 0, 0, 1, 1, 1), 2), post = rep(0:1, each = 6))
dt$y <- round(2 + dt$treat + 0.5 * dt$post + 2 * dt$treat * dt$post + rnorm(12, sd = c(0.5, 1, 2)), 3)
write.csv(dt, "did_wild_tiny.csv", row.names = FALSE, quote = FALSE)

# -- the brute-force WCR -------------------------------------------------------
signs <- function(G) { # row b: the sign vector of replicate b (bit g of b set -> -1), as attrib enumerates
  V <- matrix(1, 2^G, G)
  for (g in 1:G) V[, g] <- ifelse(bitwAnd(0:(2^G - 1), 2^(g - 1)) != 0, -1, 1)
  V
}

wcr <- function(X, y, j, cl) {
  n <- nrow(X); K <- ncol(X); G <- max(cl)
  V <- signs(G)
  fac <- G / (G - 1) * (n - 1) / (n - K)
  a <- solve(crossprod(X))[j, ]
  cvec <- drop(X %*% a)
  se_of <- function(E) sqrt(fac * colSums(rowsum(cvec * E, cl)^2)) # CR1 (HC1) of coefficient j per column
  f <- lm.fit(X, y)
  b <- f$coefficients[j]
  se <- se_of(matrix(f$residuals))
  refit <- function(theta) { # the restricted DGP at theta, every sign vector, refitted
    fr <- lm.fit(X[, -j, drop = FALSE], y - theta * X[, j])
    u <- fr$residuals
    Ys <- (y - u) + u * t(V[, cl, drop = FALSE])
    fs <- lm.fit(X, Ys)
    list(b = fs$coefficients[j, ], se = se_of(fs$residuals), Ys = Ys)
  }
  p <- function(theta) {
    r <- refit(theta)
    mean(abs((r$b - theta) / r$se) >= abs((b - theta) / se) * (1 - 1e-12))
  }
  # two replicates by lm + vcovCL, as a check of the vectorised refit
  r0 <- refit(0)
  for (bb in c(2, nrow(V))) {
    m <- lm(r0$Ys[, bb] ~ X - 1)
    v <- vcovCL(m, cluster = cl, type = "HC1")
    stopifnot(abs(coef(m)[j] - r0$b[bb]) < 1e-10, abs(sqrt(v[j, j]) - r0$se[bb]) < 1e-10)
  }
  # WCU replicates (theta = b, the unrestricted DGP): their SD
  u <- refit(b)
  # the interval: p(b) = 1; out to where p <= 0.05, then the jump
  end <- function(s) {
    h <- se
    while (p(b + s * h) > 0.05) h <- 2 * h
    uniroot(function(th) p(th) - 0.05, sort(c(b, b + s * h)), tol = 1e-13 * abs(se))$root
  }
  c(estimate = unname(b), se = se, wcr_p = p(0), inv_low = end(-1), inv_high = end(1), wcu_sd = sd(u$b), B = nrow(V))
}

out <- NULL
add <- function(case, v) out <<- rbind(out, data.frame(case = case, name = names(v), value = sprintf("%.15g", v)))

X2 <- model.matrix(~ treat * post + x, d2)
add("2x2", wcr(X2, d2$y, which(colnames(X2) == "treat:post"), d2$firm))

Xp <- model.matrix(~ D + factor(unit) + factor(period), cbind(dp, D = D))
add("twfe", wcr(Xp, dp$y, which(colnames(Xp) == "D"), dp$team))

Xt <- model.matrix(~ treat * post, dt)
add("tiny", wcr(Xt, dt$y, which(colnames(Xt) == "treat:post"), seq_len(nrow(dt))))

write.csv(out, "did_wild_expected.csv", row.names = FALSE, quote = FALSE)
print(out)
