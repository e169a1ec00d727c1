# Reference ATT and Abadie-Imbens standard errors from R's Matching::Match
# (Matching 4.10-8, Debian bookworm) for tests/unit/test_match.c: matching
# with replacement on the propensity score (written to the CSV so both sides
# use the same distance), M = 1 and 4, default Var.calc = 0. Scores are
# continuous (no ties) and distance.tolerance = 0, so Matching's tie
# averaging never applies. Run from this folder: Rscript make_matching_reference.R
suppressMessages(library(Matching))
set.seed(4)
n <- 900
x1 <- rnorm(n); x2 <- runif(n)
tr <- rbinom(n, 1, plogis(-0.8 + 0.9 * x1 + x2))
y <- 1 + 2 * x1 - x2 + 1.5 * tr + rnorm(n)
ps <- fitted(glm(tr ~ x1 + x2, binomial))
d <- data.frame(id = seq_len(n), treat = tr, y = sprintf("%.17g", y), ps = sprintf("%.17g", ps))
write.csv(d, "matching_data.csv", row.names = FALSE, quote = FALSE)
d <- read.csv("matching_data.csv")
out <- NULL
for (est in c("ATT", "ATC")) for (M in c(1, 4)) {
  m <- Match(Y = d$y, Tr = d$treat, X = d$ps, M = M, estimand = est, replace = TRUE, ties = TRUE,
             distance.tolerance = 0)
  out <- rbind(out, data.frame(estimand = est, M = M, estimate = m$est, se = m$se, se_standard = m$se.standard))
}
options(digits = 17)
write.csv(out, "matching_expected.csv", row.names = FALSE)
print(out)
# Bias-corrected (Abadie & Imbens 2011) ATT, Z = X = the score (Matching's default)
bc <- NULL
for (M in c(1, 4)) {
  m <- Match(Y = d$y, Tr = d$treat, X = d$ps, M = M, estimand = "ATT", replace = TRUE, ties = TRUE,
             distance.tolerance = 0, BiasAdjust = TRUE)
  bc <- rbind(bc, data.frame(M = M, estimate = m$est, se = m$se))
}
write.csv(bc, "bc_expected.csv", row.names = FALSE)
print(bc)
# ATE (every unit matched to the other group), M = 1 and 4
ate <- NULL
for (M in c(1, 4)) {
  m <- Match(Y = d$y, Tr = d$treat, X = d$ps, M = M, estimand = "ATE", replace = TRUE, ties = TRUE,
             distance.tolerance = 0)
  ate <- rbind(ate, data.frame(M = M, estimate = m$est, se = m$se))
}
write.csv(ate, "ate_expected.csv", row.names = FALSE)
print(ate)
