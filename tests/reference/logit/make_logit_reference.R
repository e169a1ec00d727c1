# Reference values for tests/unit/test_logit_reference.c.
# R 4.2.2, sandwich 3.0-2 (Debian bookworm). Run from this folder:
#   Rscript make_logit_reference.R
# glm is run to full convergence so that both sides report the
# maximum-likelihood estimate, not two stops of an iteration: R stops on the
# deviance, which is flat at the optimum, and evaluates the covariance with
# the working weights of its penultimate iterate; so the fit is restarted at
# R's estimate for 25 more iterations, after which both are at the MLE to
# machine precision (for probit, Fisher scoring converges only linearly).
# Weighted fits use analytic weights (glm prints a non-integer-successes
# warning, which is expected: the estimating equations are the same).
Sys.setlocale("LC_COLLATE", "C")
suppressMessages(library(sandwich))
set.seed(7)
src <- read.csv("../../../datasets/learners_sample.csv")
d <- src[1:800, c("trained", "churned", "prior_perf", "engagement", "tenure", "role", "team")]
d$w <- round(runif(nrow(d), 0.5, 2), 3)
write.csv(d, "logit_data.csv", row.names = FALSE)
d <- read.csv("logit_data.csv")
lal <- read.csv("../../../datasets/lalonde.csv")

specs <- list(
  list(name = "logit_trained", data = "d", f = trained ~ prior_perf + engagement + tenure + factor(role), link = "logit", w = FALSE),
  list(name = "probit_trained", data = "d", f = trained ~ prior_perf + engagement + tenure + factor(role), link = "probit", w = FALSE),
  list(name = "logit_weighted", data = "d", f = churned ~ trained + prior_perf + engagement, link = "logit", w = TRUE),
  list(name = "probit_weighted", data = "d", f = churned ~ trained + prior_perf + engagement, link = "probit", w = TRUE),
  list(name = "lalonde_logit", data = "lal", f = treat ~ age + educ + race + married + nodegree + re74 + re75, link = "logit", w = FALSE),
  list(name = "lalonde_probit", data = "lal", f = treat ~ age + educ + race + married + nodegree + re74 + re75, link = "probit", w = FALSE)
)
coef_rows <- list(); stat_rows <- list()
for (s in specs) {
  dd <- get(s$data)
  fam <- binomial(link = s$link)
  fit <- function(start, ctl) suppressWarnings(if (s$w) glm(s$f, family = fam, data = dd, weights = w, start = start, control = ctl)
                                               else glm(s$f, family = fam, data = dd, start = start, control = ctl))
  m0 <- fit(NULL, glm.control(epsilon = 1e-15, maxit = 100))
  m <- fit(coef(m0), glm.control(epsilon = 1e-300, maxit = 25))
  vc <- list(iid = vcov(m), hc0 = vcovHC(m, type = "HC0"), hc1 = vcovHC(m, type = "HC1"))
  if (s$data == "d") vc$cluster <- vcovCL(m, cluster = ~team, type = "HC1")
  for (v in names(vc)) {
    coef_rows[[length(coef_rows) + 1]] <- data.frame(spec = s$name, vcov = v, term = names(coef(m)),
      estimate = coef(m), std_error = sqrt(diag(vc[[v]])))
  }
  stat_rows[[length(stat_rows) + 1]] <- data.frame(spec = s$name, n = nobs(m), deviance = deviance(m),
    null_deviance = m$null.deviance, log_likelihood = -deviance(m) / 2, aic = deviance(m) + 2 * length(coef(m)))
}
options(digits = 17)
write.csv(do.call(rbind, coef_rows), "logit_expected_coef.csv", row.names = FALSE)
write.csv(do.call(rbind, stat_rows), "logit_expected_stats.csv", row.names = FALSE)
cat("done\n")
