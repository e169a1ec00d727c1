# Reference for matching with replacement when distances tie (issue 12,
# defect 3): Abadie & Imbens (2006, Econometrica 74(1), section 2) define
# the match set J_M(i) as every control at a distance no greater than the
# M-th nearest's, each weighted 1/#J_M(i). R's Matching::Match(ties = TRUE)
# does this; attrib used to keep one control per tie.
#
# Data: Lalonde (datasets/lalonde.csv, from MatchIt 4.5.1; 34 rows repeat
# another row's covariates in the same group, so their scores tie exactly).
# The propensity score is fitted here with glm and written out, so attrib
# matches on the same numbers (--score ps); attrib's own logit agrees with
# glm to 1e-13 (its coefficients), and its ties are the same.
#
# Matching's tie rule (read in its matching.cc, checked by brute force
# below): X is standardised by its sample SD s, and control j ties when
# (D_j / s)^2 <= (D_(M) / s)^2 + distance.tolerance + 1e-10 (TOL), squared
# distances. distance.tolerance = 0 is exact ties up to rounding, attrib's
# default; the default 1e-5 also takes controls that are not tied (see
# tie_tolerance_check.csv), attrib's --tie-tolerance 1e-5.
#
# Writes:
#   lalonde_ties_data.csv      Lalonde with ps (glm, 17 digits) and ps2 (a coarse score:
#                              married + nodegree only, 4 distinct values: blocks of ~100 ties)
#   ties_expected.csv          Match() estimate, SE, pairs, distinct matches, tied sets
#   ties_pairs.csv             every (treated, control, weight) of Match(ATT, M = 1), X = ps
#   ties_balance_expected.csv  SMD and variance ratio after that matching (cobalt's rules,
#                              as make_balance_reference.R), Matching's weights
#   ties_ps_adjust_expected.csv the Abadie-Imbens (2016) corrected SE, brute force, with ties
#                              in the conditional-moment neighbourhoods
#   tie_tolerance_check.csv    Matching's default tolerance against the brute-force rules
#   ties_false_check.csv       Matching's ties = FALSE with M = 2 can drop the nearest control
#   ties_lattice_data.csv      a lattice of scores (one integer covariate, logit on it): at x = 5
#                              a single control, so the treated there have the neighbourhood
#                              {it, both neighbouring blocks of ~40 controls} (equal gaps on either
#                              side, tied up to rounding): long tied runs with non-zero moments
# R 4.2.2, Matching 4.10-8. Run from this folder: Rscript make_ties_reference.R
suppressMessages(library(Matching))
Sys.setlocale("LC_COLLATE", "C")  # ids rank as attrib's sorted levels
d0 <- read.csv("../../../datasets/lalonde.csv")
f <- glm(treat ~ age + educ + race + married + nodegree + re74 + re75, binomial, d0,
         control = glm.control(epsilon = 1e-14, maxit = 100))
f2 <- glm(treat ~ married + nodegree, binomial, d0, control = glm.control(epsilon = 1e-14, maxit = 100))
write.csv(data.frame(d0, ps = sprintf("%.17g", fitted(f)), ps2 = sprintf("%.17g", fitted(f2))),
          "lalonde_ties_data.csv", row.names = FALSE, quote = FALSE)
d <- read.csv("lalonde_ties_data.csv")
W <- d$treat; y <- d$re78; n <- nrow(d)

# Brute force of the definition: J_M(i) = controls within D_(M) + 1e-12 (1 + |x_i|)
# (rounding only), or, with a tolerance T, also (D_j/s)^2 <= (D_M/s)^2 + T.
match_sets <- function(x, Wf, M, T = 0) {
  s <- sd(x); out <- NULL
  for (i in which(Wf == 1)) {
    c <- which(Wf == 0); D <- abs(x[c] - x[i]); dm <- sort(D)[M]
    J <- c[D <= dm + 1e-12 * (1 + abs(x[i])) | (T > 0 & (D / s)^2 <= (dm / s)^2 + T)]
    out <- rbind(out, data.frame(i = i, j = J, w = 1 / length(J)))
  }
  out
}
same_sets <- function(b, m) {
  a <- paste(b$i, b$j); mm <- if (is.null(m$index.treated)) NULL else paste(m$index.treated, m$index.control)
  nrow(b) == length(mm) && setequal(a, mm)
}

rows <- list(); checks <- list()
for (xname in c("ps", "ps2")) for (est in c("ATT", "ATC", "ATE")) for (M in c(1, 4)) for (tol in c(0, 1e-5)) {
  if (est != "ATT" && tol > 0) next
  x <- d[[xname]]
  m <- Match(Y = y, Tr = W, X = x, estimand = est, M = M, ties = TRUE, replace = TRUE, distance.tolerance = tol)
  # the focal unit of each pair (Matching lists treated first for ATT, ATE treated-focal rows, ...)
  ntied <- if (est == "ATE") NA else sum(table(if (est == "ATT") m$index.treated else m$index.control) > M)
  rows[[length(rows) + 1]] <- data.frame(score = xname, estimand = est, M = M, tolerance = tol, bias_adjust = 0,
    estimate = m$est, se = m$se, n_pairs = length(m$index.control),
    n_matched_controls = length(unique(m$index.control)), n_tied_sets = ntied)
  if (est == "ATT") {
    b <- match_sets(x, W, M, tol)
    checks[[length(checks) + 1]] <- data.frame(score = xname, M = M, tolerance = tol,
      brute_force_pairs = nrow(b), matching_pairs = length(m$index.control), same = same_sets(b, m))
  }
}
for (xname in c("ps", "ps2")) {  # bias-adjusted (Z = X = the score), M = 1
  m <- Match(Y = y, Tr = W, X = d[[xname]], estimand = "ATT", M = 1, ties = TRUE, replace = TRUE,
             distance.tolerance = 0, BiasAdjust = TRUE)
  rows[[length(rows) + 1]] <- data.frame(score = xname, estimand = "ATT", M = 1, tolerance = 0, bias_adjust = 1,
    estimate = m$est, se = m$se, n_pairs = length(m$index.control),
    n_matched_controls = length(unique(m$index.control)), n_tied_sets = sum(table(m$index.treated) > 1))
}

# ties = FALSE: Matching breaks ties at random (matching.cc: unif_rand) and
# computes no SE then. attrib's old rule broke them by the smaller id; its
# estimate and SE are Matching's own estimator applied to that match set
# (passed back through match.out), so the old numbers were Match with ties
# broken by id, not the estimator the docs name.
x <- d$ps; rk <- rank(d$id)
ix <- t(sapply(which(W == 1), function(i) { c <- which(W == 0); D <- abs(x[c] - x[i])
  best <- c[D <= min(D) + 1e-12 * (1 + abs(x[i]))]; c(i, best[which.min(rk[best])]) }))
m1 <- Match(Y = y, Tr = W, X = x, estimand = "ATT", M = 1, ties = TRUE, replace = TRUE, distance.tolerance = 0)
mo <- m1; mo$MatchLoopC <- cbind(ix[, 1], ix[, 2], 1, ix[, 1], ix[, 2])
mb <- Match(Y = y, Tr = W, X = x, estimand = "ATT", M = 1, ties = TRUE, replace = TRUE, distance.tolerance = 0,
            match.out = mo)
rows[[length(rows) + 1]] <- data.frame(score = "ps", estimand = "ATT_ties_by_id", M = 1, tolerance = 0, bias_adjust = 0,
  estimate = mb$est, se = mb$se, n_pairs = length(mb$index.control),
  n_matched_controls = length(unique(mb$index.control)), n_tied_sets = 0)
set.seed(1)
mr <- Match(Y = y, Tr = W, X = x, estimand = "ATT", M = 1, ties = FALSE, replace = TRUE, distance.tolerance = 0)
rows[[length(rows) + 1]] <- data.frame(score = "ps", estimand = "ATT_ties_FALSE_seed1", M = 1, tolerance = 0,
  bias_adjust = 0, estimate = mr$est, se = NA, n_pairs = length(mr$index.control),
  n_matched_controls = length(unique(mr$index.control)), n_tied_sets = 0)
out <- do.call(rbind, rows)
write.csv(format(out, digits = 17), "ties_expected.csv", row.names = FALSE, quote = FALSE)
print(out)

# Matching's default tolerance takes controls that do not tie: the pairs it
# adds over the exact rule, and the largest gap between such a control's
# distance and the M-th nearest's (in SDs of the score).
chk <- do.call(rbind, checks)
extra <- NULL
for (xname in c("ps")) {
  x <- d[[xname]]; s <- sd(x)
  for (i in which(W == 1)) { c <- which(W == 0); D <- abs(x[c] - x[i]); dm <- min(D)
    J <- c[(D / s)^2 <= (dm / s)^2 + 1e-5 + 1e-10 & D > dm + 1e-12 * (1 + abs(x[i]))]
    if (length(J)) extra <- rbind(extra, data.frame(i = i, n = length(J), gap_sd = max(D[match(J, c)] - dm) / s)) }
}
chk$untied_pairs_taken_at_1e5 <- NA; chk$treated_with_untied <- NA
chk$untied_pairs_taken_at_1e5[chk$score == "ps" & chk$M == 1 & chk$tolerance == 1e-5] <- sum(extra$n)
chk$treated_with_untied[chk$score == "ps" & chk$M == 1 & chk$tolerance == 1e-5] <- nrow(extra)
chk$max_gap_sd <- NA
chk$max_gap_sd[chk$score == "ps" & chk$M == 1 & chk$tolerance == 1e-5] <- max(extra$gap_sd)
write.csv(chk, "tie_tolerance_check.csv", row.names = FALSE, quote = FALSE)
print(chk)
stopifnot(all(chk$same))

# Matching's ties = FALSE is wrong for M > 1: with more than M controls within
# the M-th distance it drops controls at random among all of them
# (matching.cc: idrop = unif_rand() * Mii over the whole set), so it can drop
# a control strictly nearer than the tied ones. One treated unit at 0,
# controls at 0.1 (the nearest), 0.2 and -0.2 (tied second): the nearest is
# dropped for about a third of the seeds. ties = TRUE keeps all three, 1/3
# each, as attrib does.
X1 <- c(0, 0.1, 0.2, -0.2, 3, 4); T1 <- c(1, 0, 0, 0, 0, 0); Y1 <- c(1, 2, 3, 4, 5, 6)
dropped <- sum(sapply(1:300, function(sd) { set.seed(sd)
  m <- Match(Y = Y1, Tr = T1, X = X1, M = 2, ties = FALSE, replace = TRUE, distance.tolerance = 0)
  !(2 %in% m$index.control) }))
mt <- Match(Y = Y1, Tr = T1, X = X1, M = 2, ties = TRUE, replace = TRUE, distance.tolerance = 0)
write.csv(data.frame(seeds = 300, nearest_dropped_ties_false = dropped,
                     ties_true_set = paste(mt$index.control, collapse = " "),
                     ties_true_weights = paste(round(mt$weights, 6), collapse = " ")),
          "ties_false_check.csv", row.names = FALSE, quote = FALSE)

# every pair of Match(ATT, M = 1), X = ps, by id, with its weight
write.csv(data.frame(treated = d$id[m1$index.treated], control = d$id[m1$index.control],
                     weight = sprintf("%.17g", m1$weights)), "ties_pairs.csv", row.names = FALSE, quote = FALSE)

# balance after that matching: treated weight 1, control weight sum of 1/M over its uses
# (Matching's), cobalt's SMD (treated SD before matching) and weighted variance ratios
X <- model.matrix(treat ~ age + educ + race + married + nodegree + re74 + re75, d0)[, -1]
wa <- as.numeric(W == 1)
K <- tapply(m1$weights, m1$index.control, sum); wa[as.integer(names(K))] <- K
wmean <- function(x, w) sum(w * x) / sum(w)
wvar <- function(x, w) { m <- wmean(x, w); sum(w * (x - m)^2) / (sum(w) - sum(w^2) / sum(w)) }
bal <- do.call(rbind, lapply(colnames(X), function(j) { x <- X[, j]; bin <- all(x %in% c(0, 1))
  d1 <- wmean(x[W == 1], wa[W == 1]) - wmean(x[W == 0], wa[W == 0])
  data.frame(term = j, smd_after = if (bin) d1 else d1 / sd(x[W == 1]),
             var_ratio_after = if (bin) NA else wvar(x[W == 1], wa[W == 1]) / wvar(x[W == 0], wa[W == 0])) }))
bal <- rbind(bal, data.frame(term = "(ess_control)", smd_after = sum(wa[W == 0])^2 / sum(wa[W == 0]^2), var_ratio_after = NA))
write.csv(format(bal, digits = 17), "ties_balance_expected.csv", row.names = FALSE, quote = FALSE, na = "NA")

# The Abadie-Imbens (2016) correction, brute force as make_ps_adjust_reference.R,
# with the neighbourhoods' ties kept: H_w(i) = unit i (in its own group) and
# every unit of group w within the distance of the L-th nearest (L = 2) on the
# logit score, ties up to 1e-12 (1 + |lp_i|), the rule of the matching.
ps_adjust <- function(fit, sc, est, M) {
  X <- model.matrix(fit); V <- vcov(fit); lp <- unname(predict(fit)); p <- sc; fd <- p * (1 - p); L <- 2
  moments <- function(Wv, i, w) {
    grp <- which(Wv == w); others <- setdiff(grp, i); k <- if (Wv[i] == w) L - 1 else L
    D <- abs(lp[others] - lp[i]); dm <- sort(D)[k]
    H <- c(if (Wv[i] == w) i, others[D <= dm + 1e-12 * (1 + abs(lp[i]))])
    list(cov = as.vector(cov(X[H, , drop = FALSE], y[H])), mu = mean(y[H]))
  }
  adjust_att <- function(Wv, Fp, tau) {
    N1 <- sum(Wv); cc <- rep(0, ncol(X)); dd <- rep(0, ncol(X))
    for (i in seq_len(n)) { m1 <- moments(Wv, i, 1); m0 <- moments(Wv, i, 0)
      dd <- dd + fd[i] * X[i, ] * (m1$mu - m0$mu - tau); cc <- cc + fd[i] * (m1$cov + Fp[i] / (1 - Fp[i]) * m0$cov) }
    dd <- dd / N1; cc <- dd + cc / N1
    -drop(t(cc) %*% V %*% cc) + drop(t(dd) %*% V %*% dd)
  }
  adjust_ate <- function() { cv <- rep(0, ncol(X))
    for (i in seq_len(n)) { m1 <- moments(W, i, 1); m0 <- moments(W, i, 0)
      cv <- cv + fd[i] * (m1$cov / p[i] + m0$cov / (1 - p[i])) }
    cv <- cv / n; -drop(t(cv) %*% V %*% cv) }
  m <- Match(Y = y, Tr = W, X = lp, estimand = est, M = M, ties = TRUE, replace = TRUE, distance.tolerance = 0)
  adj <- switch(est, ATT = adjust_att(W, p, m$est), ATC = adjust_att(1 - W, 1 - p, -m$est), ATE = adjust_ate())
  data.frame(estimand = est, M = M, estimate = m$est, se_known = m$se, se = sqrt(m$se^2 + adj))
}
set.seed(20260412)
lat <- data.frame(x = rep(0:9, each = 90))
lat$treat <- rbinom(nrow(lat), 1, plogis(-1.2 + 0.25 * lat$x))
drop <- which(lat$x == 5 & lat$treat == 0)[-1]         # one control at x = 5
lat <- lat[-drop, ]
lat$id <- seq_len(nrow(lat))
lat$y <- round(1 + 0.8 * lat$x + 2 * lat$treat + rnorm(nrow(lat), sd = 2), 4)
write.csv(lat[, c("id", "treat", "x", "y")], "ties_lattice_data.csv", row.names = FALSE, quote = FALSE)
lat <- read.csv("ties_lattice_data.csv")
f3 <- glm(treat ~ x, binomial, lat, control = glm.control(epsilon = 1e-14, maxit = 100))
pa <- NULL
for (case in c("full", "coarse", "lattice")) {
  fit <- switch(case, full = f, coarse = f2, lattice = f3)
  if (case == "lattice") { W <- lat$treat; y <- lat$y; n <- nrow(lat) } else { W <- d$treat; y <- d$re78; n <- nrow(d) }
  for (est in c("ATT", "ATC", "ATE")) for (M in c(1, 4))
    pa <- rbind(pa, cbind(model = case, ps_adjust(fit, fitted(fit), est, M)))
}
write.csv(format(pa, digits = 17), "ties_ps_adjust_expected.csv", row.names = FALSE, quote = FALSE)
print(pa)
