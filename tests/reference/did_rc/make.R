# Reference for Callaway-Sant'Anna on an unbalanced panel with covariates
# (did --unbalanced keep --covariates; src/did/dr_rc.c). Run from this
# folder: Rscript make.R. Writes panel.csv (the data) and cells.csv (the
# reference numbers). Needs base R only.
#
# What it computes, written out here from Sant'Anna & Zhao (2020, J.
# Econometrics 219(1), eq. 3.4), independently of the C code:
#   - each ATT(g,t) as did 2.5.1's att_gt with allow_unbalanced_panel = TRUE
#     and est_method = "dr" defines it: the rows of cohort g and of the
#     never-treated units observed in period t and its base period b
#     (varying base: b = t - 1 before g, g - 1 from g on), each with its own
#     covariates, passed to the locally efficient DR estimator for repeated
#     cross sections (DRDID::drdid_rc);
#   - the estimator as a function of row weights, att(w); its influence
#     function by numerical differentiation, IF_i = N d att / d w_i
#     (central differences), the brute-force truth for the analytic IF;
#   - the analytic IF with the paper's derivative (sign "paper") and with
#     DRDID's (GitHub, 20929a8) (sign "drdid": the base-period comparison regression's
#     estimation effect added with the later period's sign). The numerical
#     derivative decides between them (max differences are printed);
#   - the unit-level influence value psi_u = (n/N) sum of its rows' IF, the
#     SE sqrt(sum psi_u^2) / n (did sums the rows' influence by id).
set.seed(20261207)
n <- 80; periods <- 1:5
coh <- sample(c(0, 3, 4), n, replace = TRUE, prob = c(0.4, 0.3, 0.3))
x2 <- rnorm(n)
rows <- expand.grid(period = periods, id = 1:n)
rows$cohort <- coh[rows$id]
rows$x1 <- round(rnorm(nrow(rows)) + 0.3 * rows$period + 0.5 * (rows$cohort > 0), 6)
rows$x2 <- round(x2[rows$id], 6)
# a covariate-dependent trend (parallel trends hold only given x), a
# planted effect of 2 from the cohort's first period on
te <- ifelse(rows$cohort > 0 & rows$period >= rows$cohort, 2, 0)
rows$sales <- round(10 + rows$x1 + rows$x2 * rows$period * 0.5 + 0.7 * (rows$cohort > 0) + te + rnorm(nrow(rows)), 6)
# unbalanced: about one row in six is missing
rows <- rows[runif(nrow(rows)) > 1 / 6, ]
d <- data.frame(learner_id = rows$id, period = rows$period, cohort = rows$cohort,
                x1 = rows$x1, x2 = rows$x2, sales = rows$sales)
write.csv(d, "panel.csv", row.names = FALSE, quote = FALSE)

wlogit <- function(X, D, w) {
  b <- rep(0, ncol(X))
  for (it in 1:100) {
    p <- 1 / (1 + exp(-drop(X %*% b)))
    step <- solve(crossprod(X, X * (w * p * (1 - p))), crossprod(X, w * (D - p)))
    b <- b + drop(step)
    if (max(abs(step)) < 1e-13) break
  }
  pmin(1 / (1 + exp(-drop(X %*% b))), 1 - 1e-6)
}
wols <- function(X, y, w, s) {
  b <- solve(crossprod(X[s, , drop = FALSE], X[s, , drop = FALSE] * w[s]), crossprod(X[s, , drop = FALSE], w[s] * y[s]))
  drop(X %*% b)
}
# att(w): eq. 3.4 with row weights w (normalised to mean 1, as DRDID does)
att_w <- function(y, D, T, X, w) {
  w <- w / mean(w)
  p <- wlogit(X, D, w)
  trim <- ifelse(D == 1, 1, p < 0.995)
  c0 <- wols(X, y, w, D == 0 & T == 0); c1 <- wols(X, y, w, D == 0 & T == 1)
  t0 <- wols(X, y, w, D == 1 & T == 0); t1 <- wols(X, y, w, D == 1 & T == 1)
  e <- y - ifelse(T == 1, c1, c0)
  odds <- trim * w * p / (1 - p) * (1 - D)
  A <- function(wt, v) sum(wt * v) / sum(wt)
  w11 <- trim * w * D * T; w10 <- trim * w * D * (1 - T); wd <- trim * w * D
  (A(w11, e) - A(w10, e)) - (A(odds * T, e) - A(odds * (1 - T), e)) +
    (A(wd, t1 - c1) - A(w11, t1 - c1)) - (A(wd, t0 - c0) - A(w10, t0 - c0))
}
# the analytic influence function (unit weights)
att_if <- function(y, D, T, X, sign_pre) {
  N <- length(y)
  p0 <- rep(0, ncol(X)); p <- wlogit(X, D, rep(1, N))
  trim <- ifelse(D == 1, 1, p < 0.995)
  fit <- function(s) { XtX <- crossprod(X[s, ]) / N; b <- solve(XtX, crossprod(X[s, ], y[s]) / N)
    list(pred = drop(X %*% b), inv = solve(XtX), s = s) }
  C0 <- fit(D == 0 & T == 0); C1 <- fit(D == 0 & T == 1); T0 <- fit(D == 1 & T == 0); T1 <- fit(D == 1 & T == 1)
  c0 <- C0$pred; c1 <- C1$pred; t0 <- T0$pred; t1 <- T1$pred
  e <- y - ifelse(T == 1, c1, c0)
  odds <- trim * p / (1 - p) * (1 - D)
  w11 <- trim * D * T; w10 <- trim * D * (1 - T); w01 <- odds * T; w00 <- odds * (1 - T); wd <- trim * D
  m <- function(w) mean(w)
  A <- function(w, v) sum(w * v) / sum(w)
  A11 <- A(w11, e); A10 <- A(w10, e); A01 <- A(w01, e); A00 <- A(w00, e)
  Ad1 <- A(wd, t1 - c1); Ad0 <- A(wd, t0 - c0); At1 <- A(w11, t1 - c1); At0 <- A(w10, t0 - c0)
  att <- (A11 - A10) - (A01 - A00) + (Ad1 - At1) - (Ad0 - At0)
  lead <- w11 * (e - A11) / m(w11) - w10 * (e - A10) / m(w10) - w01 * (e - A01) / m(w01) + w00 * (e - A00) / m(w00) +
    wd * (t1 - c1 - Ad1) / m(wd) - w11 * (t1 - c1 - At1) / m(w11) - wd * (t0 - c0 - Ad0) / m(wd) + w10 * (t0 - c0 - At0) / m(w10)
  cm <- function(f) colMeans(f * X)
  # derivatives of att with respect to each regression's coefficients
  M_c1 <- cm(w01 / m(w01) - wd / m(wd))
  M_t0 <- cm(-wd / m(wd) + w10 / m(w10)); M_t1 <- cm(wd / m(wd) - w11 / m(w11))
  M_c0 <- if (sign_pre == "paper") cm(-w00 / m(w00) + wd / m(wd)) else cm(w00 / m(w00) + wd / m(wd) - 2 * w10 / m(w10))
  M_ps <- cm(-w01 * (e - A01) / m(w01) + w00 * (e - A00) / m(w00))
  alr <- function(F, res) (F$s * res) * (X %*% F$inv)
  Hinv <- solve(crossprod(X, X * (p * (1 - p))) / N)
  inf <- lead + alr(C0, y - c0) %*% M_c0 + alr(C1, y - c1) %*% M_c1 + alr(T0, y - t0) %*% M_t0 +
    alr(T1, y - t1) %*% M_t1 + ((D - p) * (X %*% Hinv)) %*% M_ps
  list(att = att, inf = drop(inf))
}

ids <- sort(unique(d$learner_id)); nu <- length(ids)
out <- NULL
worst_paper <- 0; worst_drdid <- 0
for (g in c(3, 4)) for (t in 2:5) {
  b <- if (t >= g) g - 1 else t - 1
  s <- d[(d$cohort == g | d$cohort == 0) & (d$period == t | d$period == b), ]
  s <- s[order(s$learner_id, s$period), ]
  y <- s$sales; D <- as.numeric(s$cohort == g); T <- as.numeric(s$period == t)
  X <- cbind(1, s$x1, s$x2); N <- length(y)
  a <- att_if(y, D, T, X, "paper"); a2 <- att_if(y, D, T, X, "drdid")
  # brute force: IF_i = N d att(w) / d w_i
  h <- 1e-6; num <- numeric(N)
  for (i in 1:N) { wp <- rep(1, N); wm <- wp; wp[i] <- 1 + h; wm[i] <- 1 - h
    num[i] <- N * (att_w(y, D, T, X, wp) - att_w(y, D, T, X, wm)) / (2 * h) }
  stopifnot(abs(att_w(y, D, T, X, rep(1, N)) - a$att) < 1e-10)
  worst_paper <- max(worst_paper, max(abs(num - a$inf)))
  worst_drdid <- max(worst_drdid, max(abs(num - a2$inf)))
  psi <- function(inf) { v <- tapply(inf, s$learner_id, sum); nu / N * v }
  se <- sqrt(sum(psi(a$inf)^2)) / nu; se2 <- sqrt(sum(psi(a2$inf)^2)) / nu
  out <- rbind(out, data.frame(group = g, period = t, att = sprintf("%.15g", a$att), se = sprintf("%.15g", se),
                               se_drdid_sign = sprintf("%.15g", se2)))
}
cat(sprintf("max |IF - numerical IF|: paper's sign %.2e, DRDID's sign %.2e\n", worst_paper, worst_drdid))
stopifnot(worst_paper < 1e-6)
write.csv(out, "cells.csv", row.names = FALSE, quote = FALSE)
