# The doubly robust ATT of Sant'Anna & Zhao (2020, J. Econometrics 219(1),
# eq. 3.1) and the influence function of DRDID::drdid_panel, in R matrix
# algebra (DRDID is not in Debian). dy: outcome or long difference, D: 0/1,
# X: covariates with an intercept column. Used by make_did_dr_reference.R
# and ../psm/make_aipw_att_reference.R.
drdid <- function(dy, D, X) { # X with intercept
  m <- length(D)
  ps_fit <- glm(D ~ -1 + X, family = binomial, control = glm.control(epsilon = 1e-14, maxit = 100))
  ps <- pmin(fitted(ps_fit), 1 - 1e-6)
  trim <- ifelse(D == 0, ps < 0.995, TRUE)
  reg <- lm(dy ~ -1 + X, subset = D == 0)
  od <- drop(X %*% coef(reg))
  w1 <- trim * D; w0 <- trim * ps * (1 - D) / (1 - ps)
  e1 <- mean(w1 * (dy - od)) / mean(w1); e0 <- mean(w0 * (dy - od)) / mean(w0)
  att <- e1 - e0
  XpXinv <- solve(crossprod((1 - D) * X, X) / m)
  lin_ols <- ((1 - D) * (dy - od) * X) %*% XpXinv
  lin_ps <- ((D - ps) * X) %*% (vcov(ps_fit) * m)
  inf_t <- (w1 * (dy - od) - w1 * e1 - lin_ols %*% colMeans(w1 * X)) / mean(w1)
  inf_c <- (w0 * (dy - od) - w0 * e0 + lin_ps %*% colMeans(w0 * (dy - od - e0) * X) - lin_ols %*% colMeans(w0 * X)) / mean(w0)
  list(att = att, inf = drop(inf_t - inf_c))
}
