# Reference values for tests/unit/test_ols_reference.c.
# R 4.2.2 with sandwich 3.0-2 (Debian bookworm). Run from this folder:
#   Rscript make_ols_reference.R
# Conventions checked (docs/methods/ols.md):
# - lm with factor() dummies stands in for absorbed fixed effects;
#   singleton rows (alone in a fixed-effect level) are dropped first,
#   repeatedly, as attrib (and reghdfe) do;
# - CR1 = G/(G-1) (n-1)/(n-K); with fixed effects nested in the cluster, K
#   leaves out their levels (fixest's fixef.K = "nested"), so the reference
#   is vcovCL(type = "HC0", cadjust = TRUE) * (n-1)/(n-K_nested);
# - the F statistic is the Wald test of all slopes with the chosen vcov.
Sys.setlocale("LC_COLLATE", "C")
suppressMessages(library(sandwich))
set.seed(20261122)
src <- read.csv("../../../datasets/learners_sample.csv")
d <- src[1:600, c("sales", "trained", "tenure", "prior_perf", "engagement", "role", "region", "team")]
d$w <- round(runif(nrow(d), 0.5, 2), 3)
d$tenure[c(7, 99, 250)] <- NA
d$month <- sample(1:40, nrow(d), replace = TRUE)
write.csv(d, "ols_data.csv", row.names = FALSE, na = "NA")
d <- read.csv("ols_data.csv")

drop_singletons <- function(d, fe) {
  repeat {
    bad <- rep(FALSE, nrow(d))
    for (f in fe) { tab <- table(d[[f]]); bad <- bad | d[[f]] %in% names(tab)[tab == 1] }
    if (!any(bad)) return(d)
    d <- d[!bad, ]
  }
}

specs <- list(
  list(name = "plain", rhs = "trained + tenure + prior_perf + engagement + factor(role)", fe = character(), w = FALSE),
  list(name = "weighted", rhs = "trained + tenure + prior_perf + engagement + factor(role)", fe = character(), w = TRUE),
  list(name = "fe_region", rhs = "trained + tenure + prior_perf", fe = "region", w = FALSE),
  list(name = "fe_role_w", rhs = "trained + tenure + prior_perf + engagement", fe = "role", w = TRUE),
  list(name = "fe_team_role", rhs = "trained + tenure + prior_perf", fe = c("team", "role"), w = FALSE)
)
coef_rows <- list(); stat_rows <- list()
for (s in specs) {
  dd <- d[complete.cases(d[, c("sales", "trained", "tenure", "prior_perf", "engagement", "role", "region", "team", "w")]), ]
  dd <- drop_singletons(dd, s$fe)
  fe_terms <- if (length(s$fe)) paste0(" + ", paste0("factor(", s$fe, ")", collapse = " + ")) else ""
  f <- as.formula(paste("sales ~", s$rhs, fe_terms))
  m <- if (s$w) lm(f, data = dd, weights = w) else lm(f, data = dd)
  cf <- coef(m)
  slope <- names(cf)
  if (length(s$fe)) {
    absorbed <- grepl(paste0("^factor\\((", paste(s$fe, collapse = "|"), ")\\)"), slope)
    slope <- setdiff(slope[!absorbed], "(Intercept)")
  }
  n <- nobs(m); K <- length(cf)
  # K without the levels of fixed effects nested in any clustering variable
  Knested <- function(clvars) {
    lv <- 0
    for (f in s$fe) if (any(sapply(clvars, function(cv) all(tapply(dd[[cv]], dd[[f]], function(x) length(unique(x))) == 1))))
      lv <- lv + length(unique(dd[[f]]))
    K - lv
  }
  vc <- list(
    iid = vcov(m),
    hc0 = vcovHC(m, type = "HC0"), hc1 = vcovHC(m, type = "HC1"),
    cluster = vcovCL(m, cluster = ~team, type = "HC0", cadjust = TRUE) * (n - 1) / (n - Knested("team")),
    cluster2 = vcovCL(m, cluster = ~team + month, type = "HC0", cadjust = TRUE, multi0 = FALSE) *
      (n - 1) / (n - Knested(c("team", "month")))
  )
  if (length(s$fe) <= 1) { vc$hc2 <- vcovHC(m, type = "HC2"); vc$hc3 <- vcovHC(m, type = "HC3") }
  for (v in names(vc)) {
    V <- vc[[v]][slope, slope, drop = FALSE]
    se <- sqrt(diag(V))
    b <- cf[slope]
    coef_rows[[length(coef_rows) + 1]] <- data.frame(spec = s$name, vcov = v, term = slope, estimate = b, std_error = se)
    fs <- setdiff(slope, "(Intercept)")
    F <- tryCatch(as.numeric(t(b[fs]) %*% solve(V[fs, fs], b[fs])) / length(fs), error = function(e) NA)
    stat_rows[[length(stat_rows) + 1]] <- data.frame(spec = s$name, vcov = v, n = n, df_resid = df.residual(m),
      r_squared = summary(m)$r.squared, adj_r_squared = summary(m)$adj.r.squared, sigma = summary(m)$sigma, f_statistic = F)
  }
}
options(digits = 17)
write.csv(do.call(rbind, coef_rows), "ols_expected_coef.csv", row.names = FALSE)
write.csv(do.call(rbind, stat_rows), "ols_expected_stats.csv", row.names = FALSE)
cat("done\n")
