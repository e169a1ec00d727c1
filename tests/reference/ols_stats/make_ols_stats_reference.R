# Fixtures for OLS from sufficient statistics (attrib ols --from-stats,
# docs/scale.md "Feeding the result back"), made by R alone, as a
# distributed engine would make them: the sums of two parts of
# datasets/learners_sample.csv (teams split by parity, so that each cluster
# lies in one part), in attrib's statistics file format, and R's own fit of
# the whole file to compare with.
#
#   round1_{a,b}.json   each part's normal equations, and its residual pass
#                       at the part's OWN coefficients (cluster meat): merged,
#                       only iid standard errors can be finished
#   round2_{hc1,cr1}_{a,b}.json  the residual pass at the whole file's
#                       coefficients: merged, hc1 and CR1 are exact
#   expected.csv        lm() on the whole file: estimate, SEs (iid;
#                       sandwich::vcovHC HC1; sandwich::vcovCL by team, HC1,
#                       which is Stata's CR1), rss, r_squared
#
# Run from the repository's root: Rscript tests/reference/ols_stats/make_ols_stats_reference.R
# (R 4.2, sandwich 3.0; every number written with 17 significant digits)
suppressMessages(library(sandwich))
d <- read.csv("datasets/learners_sample.csv")
f <- sales ~ trained + tenure + factor(region) + engagement
d <- d[complete.cases(d[, c("sales", "trained", "tenure", "region", "engagement", "team")]), ]
fit <- lm(f, data = d)
X <- model.matrix(fit)
y <- d$sales
terms <- colnames(X)
b_all <- unname(coef(fit))
out <- "tests/reference/ols_stats"

num <- function(v) paste(sprintf("%.17g", v), collapse = ", ")
upper <- function(M) { k <- nrow(M); v <- c(); for (i in 1:k) v <- c(v, M[i, i:k]); v }
stats_json <- function(rows, b, vcov) {
  Xp <- X[rows, , drop = FALSE]; yp <- y[rows]; g <- d$team[rows]
  e <- as.vector(yp - Xp %*% b)
  ybar <- mean(yp)
  meat <- if (vcov == "hc1") crossprod(Xp * e) else if (vcov == "cluster") {
    S <- rowsum(Xp * e, g); crossprod(S) } else NULL
  lines <- c("{",
    '  "attrib_stats": 1,', '  "model": "ols",', '  "outcome": "sales",',
    sprintf('  "formula": "%s",', deparse(f)), '  "intercept": true,',
    sprintf('  "terms": [%s],', paste0('"', terms, '"', collapse = ", ")),
    '  "parts": 1,',
    sprintf('  "n_input": %s,', num(length(rows))), sprintf('  "n": %s,', num(length(rows))),
    sprintf('  "sum_y": %s,', num(sum(yp))),
    sprintf('  "xtx": [%s],', num(upper(crossprod(Xp)))),
    sprintf('  "xty": [%s],', num(crossprod(Xp, yp))),
    '  "residuals": {', sprintf('    "vcov": "%s",', vcov),
    sprintf('    "coefficients": [%s],', num(b)),
    sprintf('    "ybar": %s,', num(ybar)), sprintf('    "rss": %s,', num(sum(e^2))),
    sprintf('    "tss": %s%s', num(sum((yp - ybar)^2)), if (is.null(meat)) "" else ","))
  if (!is.null(meat)) {
    lines <- c(lines, sprintf('    "meat": [%s]%s', num(upper(meat)), if (vcov == "cluster") "," else ""))
    if (vcov == "cluster")
      lines <- c(lines, '    "cluster": "team",', sprintf('    "clusters": %d', length(unique(g))))
  }
  c(lines, "  }", "}")
}
parts <- list(a = which(d$team %% 2 == 0), b = which(d$team %% 2 == 1))
for (p in names(parts)) {
  rows <- parts[[p]]
  b_own <- unname(coef(lm.fit(X[rows, ], y[rows])))
  writeLines(stats_json(rows, b_own, "cluster"), file.path(out, sprintf("round1_%s.json", p)))
  writeLines(stats_json(rows, b_all, "hc1"), file.path(out, sprintf("round2_hc1_%s.json", p)))
  writeLines(stats_json(rows, b_all, "cluster"), file.path(out, sprintf("round2_cr1_%s.json", p)))
}
se <- function(V) sqrt(diag(V))
e <- data.frame(term = terms, estimate = sprintf("%.17g", b_all),
                se_iid = sprintf("%.17g", se(vcov(fit))),
                se_hc1 = sprintf("%.17g", se(vcovHC(fit, type = "HC1"))),
                se_cr1 = sprintf("%.17g", se(vcovCL(fit, cluster = ~team, type = "HC1"))))
write.csv(e, file.path(out, "expected.csv"), row.names = FALSE, quote = TRUE)
writeLines(c("statistic,value", sprintf("rss,%.17g", sum(resid(fit)^2)), sprintf("r_squared,%.17g", summary(fit)$r.squared),
             sprintf("n,%d", nrow(d)), sprintf("clusters,%d", length(unique(d$team)))),
           file.path(out, "expected_fit.csv"))
