# Reference IPW and AIPW estimates and standard errors for
# tests/unit/test_weighting.c. R 4.2.2, base only. Run from this folder:
#   Rscript make_weighting_reference.R
# IPW (normalised, Hajek) ATE and ATT with the M-estimation sandwich that
# accounts for the estimated propensity score (Lunceford & Davidian 2004):
# the estimating equations (logit score; the weighted means mu1, mu0) are
# stacked and the Jacobian is taken by central differences here, so the
# reference does not share attrib's analytic derivatives.
# AIPW ATE: outcome regressions by OLS in each arm; SE from the influence
# function sqrt(mean(psi^2) / n) (Neyman orthogonal: no correction needed).
set.seed(12)
n <- 1500
x1 <- rnorm(n); x2 <- rbinom(n, 1, 0.4); x3 <- runif(n, -1, 1)
tr <- rbinom(n, 1, plogis(-0.3 + 0.8 * x1 - 0.5 * x2 + 0.6 * x3))
y <- 2 + 1.2 * x1 + 0.7 * x2 - x3 + 1.0 * tr + 0.5 * tr * x1 + rnorm(n)
d <- data.frame(treat = tr, y = sprintf("%.17g", y), x1 = sprintf("%.17g", x1), x2 = x2, x3 = sprintf("%.17g", x3))
write.csv(d, "weighting_data.csv", row.names = FALSE, quote = FALSE)
d <- read.csv("weighting_data.csv")
X <- cbind(1, d$x1, d$x2, d$x3); Tr <- d$treat; Y <- d$y; k <- ncol(X)
beta <- coef(glm(treat ~ x1 + x2 + x3, binomial, d, control = glm.control(epsilon = 1e-14, maxit = 100)))
psi <- function(theta, est) {
  b <- theta[1:k]; m1 <- theta[k + 1]; m0 <- theta[k + 2]
  e <- plogis(drop(X %*% b))
  s <- X * (Tr - e)
  if (est == "ate") { p1 <- Tr / e * (Y - m1); p0 <- (1 - Tr) / (1 - e) * (Y - m0) }
  else { p1 <- Tr * (Y - m1); p0 <- (1 - Tr) * e / (1 - e) * (Y - m0) }
  cbind(s, p1, p0)
}
rows <- NULL
for (est in c("ate", "att")) {
  e <- plogis(drop(X %*% beta))
  w1 <- if (est == "ate") Tr / e else Tr
  w0 <- if (est == "ate") (1 - Tr) / (1 - e) else (1 - Tr) * e / (1 - e)
  m1 <- sum(w1 * Y) / sum(w1); m0 <- sum(w0 * Y) / sum(w0)
  theta <- c(beta, m1, m0)
  A <- matrix(0, k + 2, k + 2); h <- 1e-5
  for (j in 1:(k + 2)) {
    tp <- theta; tm <- theta; tp[j] <- tp[j] + h; tm[j] <- tm[j] - h
    A[, j] <- -(colMeans(psi(tp, est)) - colMeans(psi(tm, est))) / (2 * h)
  }
  P <- psi(theta, est); B <- crossprod(P) / n
  V <- solve(A) %*% B %*% t(solve(A)) / n
  cc <- c(rep(0, k), 1, -1)
  rows <- rbind(rows, data.frame(method = "ipw", estimand = est, estimate = m1 - m0,
                                 se = sqrt(drop(t(cc) %*% V %*% cc))))
}
e <- plogis(drop(X %*% beta))
b1 <- coef(lm(y ~ x1 + x2 + x3, d[Tr == 1, ])); b0 <- coef(lm(y ~ x1 + x2 + x3, d[Tr == 0, ]))
mu1 <- drop(X %*% b1); mu0 <- drop(X %*% b0)
phi <- mu1 - mu0 + Tr * (Y - mu1) / e - (1 - Tr) * (Y - mu0) / (1 - e)
tau <- mean(phi)
rows <- rbind(rows, data.frame(method = "aipw", estimand = "ate", estimate = tau, se = sqrt(mean((phi - tau)^2) / n)))
options(digits = 17)
write.csv(rows, "weighting_expected.csv", row.names = FALSE)
print(rows)
