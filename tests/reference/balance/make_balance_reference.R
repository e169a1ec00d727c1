# Reference balance tables for tests/unit/test_balance.c, computed here from
# cobalt's documented definitions (cobalt itself is not in Debian bookworm;
# FAQ "How are standardized mean differences computed in cobalt?"):
#   SMD = (weighted mean treated - weighted mean control) / s*, s* from the
#   unadjusted sample: SD of treated (ATT), of controls (ATC), or
#   sqrt((s1^2 + s0^2) / 2) (ATE); binary terms: raw difference;
#   variance ratio of weighted variances with reliability weights.
# R 4.2.2. Run from this folder: Rscript make_balance_reference.R
d <- read.csv("../../../datasets/lalonde.csv")
X <- model.matrix(treat ~ age + educ + race + married + nodegree + re74 + re75, d)[, -1]
ps <- fitted(glm(treat ~ age + educ + race + married + nodegree + re74 + re75, binomial, d))
t <- d$treat
w_att <- ifelse(t == 1, 1, ps / (1 - ps))
w_ate <- ifelse(t == 1, 1 / ps, 1 / (1 - ps))
w_att[which(t == 0)[1:40]] <- 0  # some units unused, as after matching
write.csv(data.frame(id = d$id, w_att = sprintf("%.17g", w_att), w_ate = sprintf("%.17g", w_ate)),
          "lalonde_weights.csv", row.names = FALSE, quote = FALSE)
wmean <- function(x, w) sum(w * x) / sum(w)
wvar <- function(x, w) { m <- wmean(x, w); sum(w * (x - m)^2) / (sum(w) - sum(w^2) / sum(w)) }
rows <- list()
for (est in c("att", "atc", "ate")) {
  wa <- if (est == "ate") w_ate else w_att
  for (j in colnames(X)) {
    x <- X[, j]
    binary <- all(x %in% c(0, 1))
    s1 <- sd(x[t == 1]); s0 <- sd(x[t == 0])
    sstar <- switch(est, att = s1, atc = s0, ate = sqrt((s1^2 + s0^2) / 2))
    d0 <- mean(x[t == 1]) - mean(x[t == 0])
    d1 <- wmean(x[t == 1], wa[t == 1]) - wmean(x[t == 0], wa[t == 0])
    if (!binary) { d0 <- d0 / sstar; d1 <- d1 / sstar }
    vr0 <- if (binary) NA else var(x[t == 1]) / var(x[t == 0])
    vr1 <- if (binary) NA else wvar(x[t == 1], wa[t == 1]) / wvar(x[t == 0], wa[t == 0])
    rows[[length(rows) + 1]] <- data.frame(estimand = est, term = j, binary = as.integer(binary),
      diff_before = d0, diff_after = d1, var_ratio_before = vr0, var_ratio_after = vr1,
      ess_treated = sum(wa[t == 1])^2 / sum(wa[t == 1]^2), ess_control = sum(wa[t == 0])^2 / sum(wa[t == 0]^2))
  }
}
options(digits = 17)
write.csv(do.call(rbind, rows), "balance_expected.csv", row.names = FALSE, na = "NA")
cat("done\n")
