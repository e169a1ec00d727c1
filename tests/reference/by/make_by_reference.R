# Fixture of the subgroup effects (attrib ols --by, docs/methods/subgroups.md).
# Run from this folder: Rscript make_by_reference.R (R 4.x, sandwich).
# Writes by_data.csv (the data) and by_expected.csv (the reference numbers):
# the fully interacted regression y ~ 0 + g + g:treat + g:x, fitted by lm,
# with vcovHC(type = "HC1"), vcovCL(cluster = ~cl, type = "HC1") (clusters
# span the groups) and the iid vcov; the group effects (coefficients g:treat),
# their SEs, the Wald test of equality written out (W = (Rb)' (R V R')^-1
# (Rb) with R the contrasts b_g - b_A; F = W/2, p from F(2, df) with df =
# n - K for HC1/iid and G_cl - 1 for the cluster vcov, attrib's t degrees of
# freedom) and the pairwise differences. When car is installed (Debian's
# r-cran-car) the written-out F is checked against car::linearHypothesis
# with the same vcov (F to 1e-12 relative; its p too where car's df, the
# residual df n - K, is the one used: HC1 and iid).
library(sandwich)
set.seed(20261207)
n <- 420
g <- sample(c("A", "B", "C"), n, replace = TRUE, prob = c(0.5, 0.3, 0.2))
cl <- sample(1:24, n, replace = TRUE)            # clusters hold rows of every group
x <- rnorm(n)
treat <- rbinom(n, 1, plogis(0.3 * x))
tau <- c(A = 1, B = 2.5, C = -0.5)[g]
u <- rnorm(24)[cl]
y <- 2 + 0.7 * x + tau * treat + u + rnorm(n) * (1 + 0.5 * (g == "C"))
w <- round(runif(n, 0.5, 2), 3)
d <- data.frame(y = round(y, 6), treat, x = round(x, 6), g, cl, w)
write.csv(d, "by_data.csv", row.names = FALSE, quote = FALSE)
d <- read.csv("by_data.csv")
d$g <- factor(d$g)
m <- lm(y ~ 0 + g + g:treat + g:x, data = d)
mw <- lm(y ~ 0 + g + g:treat + g:x, data = d, weights = w)
G <- 3
idx <- paste0("g", levels(d$g), ":treat")
out <- NULL
one <- function(label, fit, V, df) {
  b <- coef(fit)[idx]; Vb <- V[idx, idx]
  R <- cbind(-1, diag(G - 1))
  W <- drop(t(R %*% b) %*% solve(R %*% Vb %*% t(R)) %*% (R %*% b))
  Fs <- W / (G - 1)
  if (requireNamespace("car", quietly = TRUE)) {
    full <- matrix(0, G - 1, length(coef(fit)), dimnames = list(NULL, names(coef(fit))))
    full[, idx] <- R
    lh <- car::linearHypothesis(fit, full, vcov. = V, test = "F")
    stopifnot(abs(lh$F[2] / Fs - 1) < 1e-12)
    if (df == df.residual(fit)) stopifnot(abs(lh[["Pr(>F)"]][2] / pf(Fs, G - 1, df, lower.tail = FALSE) - 1) < 1e-10)
    cat(label, ": car::linearHypothesis F", format(lh$F[2], digits = 17), "= written-out", format(Fs, digits = 17), "\n")
  }
  rows <- data.frame(case = label, what = paste0("effect ", levels(d$g)), estimate = b, std_error = sqrt(diag(Vb)))
  pairs <- combn(G, 2)
  for (k in seq_len(ncol(pairs))) {
    a <- pairs[1, k]; c <- pairs[2, k]
    rows <- rbind(rows, data.frame(case = label, what = paste0("diff ", levels(d$g)[c], "-", levels(d$g)[a]),
                                   estimate = b[c] - b[a],
                                   std_error = sqrt(Vb[a, a] + Vb[c, c] - 2 * Vb[a, c])))
  }
  rows <- rbind(rows, data.frame(case = label, what = "wald F", estimate = Fs,
                                 std_error = pf(Fs, G - 1, df, lower.tail = FALSE)))
  out <<- rbind(out, rows)
}
K <- length(coef(m))
one("hc1", m, vcovHC(m, type = "HC1"), n - K)
one("cluster", m, vcovCL(m, cluster = ~cl, type = "HC1"), length(unique(d$cl)) - 1)
one("iid", m, vcov(m), n - K)
one("weights_cluster", mw, vcovCL(mw, cluster = ~cl, type = "HC1"), length(unique(d$cl)) - 1)
# for the wald rows, std_error holds the p-value
write.csv(out, "by_expected.csv", row.names = FALSE, quote = FALSE)
