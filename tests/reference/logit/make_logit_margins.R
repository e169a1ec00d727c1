# Reference values for tests/unit/test_logit_margins.c: the average marginal
# effect of a logit/probit treatment on P(y = 1) and its delta-method SE,
# written out here with glm + sandwich (marginaleffects is not in Debian).
# R 4.2.2, sandwich 3.0-2 (Debian bookworm). Run from this folder:
#   Rscript make_logit_margins.R
# Data: logit_data.csv (make_logit_reference.R). glm is run to full
# convergence as in make_logit_reference.R (restarted at its estimate).
#
#   risk difference (0/1 or factor treatment): mean_i w_i [F(x_i(1)'b) - F(x_i(0)'b)] / sum w,
#     x_i(v) the row with the treatment set to v in every term (model.matrix of the modified data,
#     factor levels kept with xlev, as predict() does);
#   average derivative (other numeric treatment): mean_i w_i f(x_i'b) d(x_i'b)/dD, the derivative
#     taken by a central finite difference of the linear predictor in D (not by the closed form
#     attrib uses);
#   SE = sqrt(g' V g), g = d AME / d b written out analytically and checked against central finite
#     differences of the AME in b (step 1e-6 relative; they must agree to 1e-7), V = vcov (iid),
#     vcovHC HC0 / HC1, vcovCL HC1 (as in make_logit_reference.R).
Sys.setlocale("LC_COLLATE", "C")
suppressMessages(library(sandwich))
d <- read.csv("logit_data.csv")

specs <- list(
  list(name = "logit_rd", f = churned ~ trained + prior_perf + engagement, link = "logit", w = FALSE, treat = "trained"),
  list(name = "probit_rd", f = churned ~ trained + prior_perf + engagement, link = "probit", w = FALSE, treat = "trained"),
  list(name = "logit_rd_weighted", f = churned ~ trained + prior_perf + engagement, link = "logit", w = TRUE, treat = "trained"),
  list(name = "logit_interaction", f = churned ~ trained * engagement + prior_perf + factor(role), link = "logit", w = FALSE,
       treat = "trained"),
  list(name = "probit_interaction", f = churned ~ trained * engagement + prior_perf + factor(role), link = "probit", w = TRUE,
       treat = "trained"),
  list(name = "logit_factor", f = churned ~ factor(role) + trained + engagement, link = "logit", w = FALSE,
       treat = "factor(role)Manager", var = "role", level = "Manager"),
  list(name = "logit_slope", f = churned ~ trained + engagement + prior_perf, link = "logit", w = FALSE, treat = "engagement"),
  list(name = "probit_slope", f = churned ~ trained * engagement + prior_perf, link = "probit", w = TRUE, treat = "engagement")
)

rows <- list()
for (s in specs) {
  fam <- binomial(link = s$link)
  fit <- function(start, ctl) suppressWarnings(if (s$w) glm(s$f, family = fam, data = d, weights = w, start = start, control = ctl)
                                               else glm(s$f, family = fam, data = d, start = start, control = ctl))
  m0 <- fit(NULL, glm.control(epsilon = 1e-15, maxit = 100))
  m <- fit(coef(m0), glm.control(epsilon = 1e-300, maxit = 25))
  tt <- delete.response(terms(m))
  X_at <- function(dd) model.matrix(tt, model.frame(tt, dd, xlev = m$xlevels))
  wt <- if (s$w) d$w else rep(1, nrow(d))
  Fl <- fam$linkinv
  Fexact <- if (s$link == "logit") plogis else pnorm
  slope <- is.null(s$var) && !all(d[[s$treat]] %in% c(0, 1))
  if (is.null(s$var)) {
    d1 <- d; d1[[s$treat]] <- 1; d0 <- d; d0[[s$treat]] <- 0
  } else {
    lv <- sort(unique(d[[s$var]]))
    d1 <- d; d1[[s$var]] <- s$level; d0 <- d; d0[[s$var]] <- lv[1]
  }
  X <- model.matrix(m); X1 <- X_at(d1); X0 <- X_at(d0)
  stopifnot(identical(colnames(X1), colnames(X)), identical(colnames(X0), colnames(X)))
  h <- 1e-4
  if (slope) {
    dp <- d; dp[[s$treat]] <- d[[s$treat]] + h; dm <- d; dm[[s$treat]] <- d[[s$treat]] - h
    Xp <- X_at(dp); Xm <- X_at(dm)
  }
  ame <- function(b) {
    if (slope) {
      deta <- (Xp %*% b - Xm %*% b) / (2 * h) # linear in D: exact up to rounding
      dens <- if (s$link == "logit") dlogis(X %*% b) else dnorm(X %*% b)
      sum(wt * dens * deta) / sum(wt)
    } else {
      sum(wt * (Fexact(X1 %*% b) - Fexact(X0 %*% b))) / sum(wt)
    }
  }
  b <- coef(m)
  est <- ame(b)
  g <- sapply(seq_along(b), function(j) {
    e <- max(abs(b[j]), 1) * 1e-6; bp <- b; bm <- b; bp[j] <- b[j] + e; bm[j] <- b[j] - e
    (ame(bp) - ame(bm)) / (2 * e)
  })
  # the analytic gradient, as a check on the numerical one
  eta <- drop(X %*% b); eta1 <- drop(X1 %*% b); eta0 <- drop(X0 %*% b)
  dens <- function(e) if (s$link == "logit") dlogis(e) else dnorm(e)
  ddens <- function(e) if (s$link == "logit") dlogis(e) * (1 - 2 * plogis(e)) else -e * dnorm(e)
  ga <- if (slope) colSums(wt * (ddens(eta) * (eta1 - eta0) * X + dens(eta) * (X1 - X0))) / sum(wt)
        else colSums(wt * (dens(eta1) * X1 - dens(eta0) * X0)) / sum(wt)
  stopifnot(max(abs(g - ga)) < 1e-7 * max(abs(ga)))
  vc <- list(iid = vcov(m), hc0 = vcovHC(m, type = "HC0"), hc1 = vcovHC(m, type = "HC1"),
             cluster = vcovCL(m, cluster = ~team, type = "HC1"))
  for (v in names(vc)) {
    rows[[length(rows) + 1]] <- data.frame(spec = s$name, vcov = v, term = s$treat,
      type = if (slope) "average derivative" else "risk difference", estimate = est,
      std_error = sqrt(drop(t(ga) %*% vc[[v]] %*% ga)),
      p_treated = if (slope) NA else sum(wt * Fexact(X1 %*% b)) / sum(wt),
      p_control = if (slope) NA else sum(wt * Fexact(X0 %*% b)) / sum(wt),
      n = nobs(m))
  }
}
options(digits = 17)
write.csv(do.call(rbind, rows), "logit_expected_margins.csv", row.names = FALSE)
cat("done\n")
