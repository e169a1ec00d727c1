# Reference numbers for multiple-testing control (issue 18;
# tests/unit/test_multitest.c reads the CSVs this writes; CI has no R).
#   Rscript make_multi_reference.R     (from this folder; R >= 4, base R only)
#
# 1. p.adjust(p, "bonferroni") and p.adjust(p, "holm") on a vector with
#    ties, a p-value above 1/m and an NA.
# 2. Romano-Wolf step-down adjusted p-values, written out below as
#    Romano & Wolf (2005, Econometrica 73(4), algorithm 4.1 with the
#    bootstrap p-value convention of Clarke, Romano & Wolf 2020, Stata J.
#    20(4), rwolf): hypotheses ordered by |t| descending; step j's raw
#    p-value is (1 + #{b : max_{i >= j} |t*_{(i)b}| >= |t_(j)|}) / (B + 1);
#    then made monotone with a running maximum. Ties count (a relative
#    1e-12, as attrib's WCR p-value). Computed on correlated bootstrap
#    t statistics drawn here (S = 5 hypotheses, B = 999), stored whole so
#    that the C test runs the same draws.
set.seed(20261207)
fmt <- function(x) ifelse(is.na(x), "NA", sprintf("%.17g", x))

p <- c(0.01, 0.04, 0.04, 0.30, NA, 0.002, 0.8)
pa <- data.frame(p = fmt(p), bonferroni = fmt(p.adjust(p, "bonferroni")), holm = fmt(p.adjust(p, "holm")))
write.csv(pa, "padjust_expected.csv", row.names = FALSE, quote = FALSE)

S <- 5; B <- 999
R <- outer(1:S, 1:S, function(i, j) 0.6^abs(i - j))   # correlated outcomes
L <- chol(R)
tboot <- matrix(rnorm(B * S), B, S) %*% L              # B x S, under the null
t <- c(3.1, -0.4, 2.2, -2.6, 1.1)

romano_wolf <- function(t, tboot, tol = 1e-12) {
  a <- abs(t); tb <- abs(tboot); B <- nrow(tb); S <- length(t)
  ord <- order(a, decreasing = TRUE)
  raw <- numeric(S)
  for (j in seq_len(S)) {
    rest <- ord[j:S]
    mx <- apply(tb[, rest, drop = FALSE], 1, max)
    raw[j] <- min(1, (sum(mx >= a[ord[j]] * (1 - tol)) + 1) / (B + 1))
  }
  adj <- cummax(raw)
  out <- numeric(S); out[ord] <- adj
  out
}
rw <- romano_wolf(t, tboot)

colnames(tboot) <- paste0("h", 1:S)
write.csv(as.data.frame(apply(tboot, 2, fmt)), "rw_boot.csv", row.names = FALSE, quote = FALSE)
write.csv(data.frame(hyp = paste0("h", 1:S), t = fmt(t), p_romano_wolf = fmt(rw)), "rw_expected.csv",
          row.names = FALSE, quote = FALSE)
cat("romano-wolf:", rw, "\n")
