# Reference for the Abadie-Imbens (2016) correction of the matching SE for
# an estimated propensity score (tests/cli/psm/ps_adjust_reference.sh).
# Written from the paper's Theorems 1-2 (Econometrica 84(2), 781-807) and its
# section 4 estimators, not from attrib's code: conditional moments from the
# L = 2 nearest units of each group on the logit score (the unit itself
# included in its own group, as Stata's vce(robust, nn(2))), computed with
# R's cov() per unit; the known-score SE from Matching::Match; V_theta from
# vcov(glm). No R package implements the 2016 correction (Stata's teffects
# psmatch does); this script is the brute-force statement of the formulas.
#   V_ATE = V_AI - c' V c,   c = mean_i f_i (cov1_i / F_i + cov0_i / (1 - F_i))
#   V_ATT = V_AI - ct' V ct + d' V d,
#     d  = sum_i f_i X_i (mu1_i - mu0_i - tau) / N1,
#     ct = d + sum_i f_i (cov1_i + F_i / (1 - F_i) cov0_i) / N1
#   ATC: the ATT with W -> 1 - W, F -> 1 - F, tau -> -ATC.
# Run from this folder: Rscript make_ps_adjust_reference.R
suppressMessages(library(Matching))
set.seed(20261122)
n <- 1500
x1 <- rnorm(n); x2 <- rnorm(n); x3 <- rbinom(n, 1, 0.4)
treat <- rbinom(n, 1, plogis(-0.6 + 0.8 * x1 - 0.5 * x2 + 0.7 * x3))
y <- 1 + x1 + 0.5 * x2 + x3 + treat * (1 + 0.5 * x1) + rnorm(n)
d <- data.frame(id = seq_len(n), treat, y = round(y, 6), x1 = round(x1, 6), x2 = round(x2, 6), x3)
write.csv(d, "ps_adjust_data.csv", row.names = FALSE, quote = FALSE)
d <- read.csv("ps_adjust_data.csv")

fit <- glm(treat ~ x1 + x2 + x3, family = binomial, data = d, control = glm.control(epsilon = 1e-14, maxit = 100))
X <- model.matrix(fit); V <- vcov(fit)
lp <- predict(fit, type = "link"); p <- fitted(fit); f <- p * (1 - p)
L <- 2

# cov(X, y | score) and E[y | score] in group w around unit i: the unit
# itself (in its own group) and the L (L - 1 besides itself) nearest of the
# group, with every unit as near as the farthest of them (ties kept, up to
# 1e-12 (1 + |lp_i|), the rule of the matching; these scores do not tie, so
# this is the L nearest: make_ties_reference.R has tied data)
moments <- function(W, i, w) {
  grp <- which(W == w); others <- setdiff(grp, i); k <- if (W[i] == w) L - 1 else L
  D <- abs(lp[others] - lp[i]); dm <- sort(D)[k]
  H <- c(if (W[i] == w) i, others[D <= dm + 1e-12 * (1 + abs(lp[i]))])
  list(cov = as.vector(cov(X[H, , drop = FALSE], d$y[H])), mu = mean(d$y[H]))
}

adjust_ate <- function() {
  W <- d$treat; c <- rep(0, ncol(X))
  for (i in seq_len(n)) {
    m1 <- moments(W, i, 1); m0 <- moments(W, i, 0)
    c <- c + f[i] * (m1$cov / p[i] + m0$cov / (1 - p[i]))
  }
  c <- c / n
  -drop(t(c) %*% V %*% c)
}

adjust_att <- function(W, Fp, tau) { # W, Fp: the target group's indicator and probability
  N1 <- sum(W); cc <- rep(0, ncol(X)); dd <- rep(0, ncol(X))
  for (i in seq_len(n)) {
    m1 <- moments(W, i, 1); m0 <- moments(W, i, 0)
    dd <- dd + f[i] * X[i, ] * (m1$mu - m0$mu - tau)
    cc <- cc + f[i] * (m1$cov + Fp[i] / (1 - Fp[i]) * m0$cov)
  }
  dd <- dd / N1; cc <- dd + cc / N1
  -drop(t(cc) %*% V %*% cc) + drop(t(dd) %*% V %*% dd)
}

out <- NULL
for (est in c("ATT", "ATC", "ATE")) for (M in c(1, 4)) {
  m <- Match(Y = d$y, Tr = d$treat, X = lp, M = M, estimand = est, distance.tolerance = 0) # no ties here
  adj <- switch(est,
    ATT = adjust_att(d$treat, p, m$est),
    ATC = adjust_att(1 - d$treat, 1 - p, -m$est),
    ATE = adjust_ate())
  out <- rbind(out, data.frame(estimand = est, M = M, estimate = m$est, se_known = m$se,
                               se = sqrt(m$se^2 + adj)))
}
write.csv(format(out, digits = 15), "ps_adjust_expected.csv", row.names = FALSE, quote = FALSE)
print(out)
