# Monte Carlo study of the matching standard errors (not run in CI): does
# the Abadie-Imbens (2016) estimated-score SE track the estimator's sampling
# SD better than the known-score (2006) SE? Same DGP as
# tests/reference/psm/make_ps_adjust_reference.R: x1, x2 ~ N(0,1), x3 ~
# Bernoulli(0.4), P(treat) = logistic(-0.6 + 0.8 x1 - 0.5 x2 + 0.7 x3),
# y = 1 + x1 + 0.5 x2 + x3 + treat (1 + 0.5 x1) + N(0,1); true ATT and ATE
# from the DGP's effect 1 + 0.5 x1 averaged over the treated / everyone.
# Usage: Rscript benchmarks/psm_se_study.R [reps] [n]   (from the checkout, after a build)
args <- commandArgs(TRUE)
reps <- if (length(args) >= 1) as.integer(args[1]) else 300
n <- if (length(args) >= 2) as.integer(args[2]) else 2000
attrib <- "build/attrib"
tmp <- tempfile(fileext = ".csv")
set.seed(1)
res <- NULL
for (r in seq_len(reps)) {
  x1 <- rnorm(n); x2 <- rnorm(n); x3 <- rbinom(n, 1, 0.4)
  p <- plogis(-0.6 + 0.8 * x1 - 0.5 * x2 + 0.7 * x3)
  treat <- rbinom(n, 1, p)
  y <- 1 + x1 + 0.5 * x2 + x3 + treat * (1 + 0.5 * x1) + rnorm(n)
  write.csv(data.frame(id = seq_len(n), treat, y, x1, x2, x3), tmp, row.names = FALSE)
  # the population ATT: E[1 + 0.5 x1 | treated] = 1 + 0.5 E[x1 p] / E[p], here by the sample's p
  truth <- c(att = 1 + 0.5 * sum(x1 * p) / sum(p), ate = 1)
  for (est in c("att", "ate")) {
    run <- function(extra) {
      cmd <- sprintf("%s psm %s --treat treat --outcome y --covariates x1,x2,x3 --replace --estimand %s --id id --format json %s | jq -r '[.effect.estimate, .effect.std_error] | @tsv'",
                     attrib, tmp, est, extra)
      as.numeric(strsplit(system(cmd, intern = TRUE), "\t")[[1]])
    }
    a <- run(""); k <- run("--ps-known")
    res <- rbind(res, data.frame(estimand = est, estimate = a[1], se_2016 = a[2], se_2006 = k[2], truth = truth[[est]]))
  }
}
unlink(tmp)
for (est in c("att", "ate")) {
  s <- res[res$estimand == est, ]
  z <- qnorm(0.975)
  cat(sprintf("%s: reps %d, n %d; sampling SD %.4f; mean SE 2016 %.4f, 2006 %.4f; 95%% coverage 2016 %.3f, 2006 %.3f\n",
              toupper(est), nrow(s), n, sd(s$estimate), mean(s$se_2016), mean(s$se_2006),
              mean(abs(s$estimate - s$truth) <= z * s$se_2016), mean(abs(s$estimate - s$truth) <= z * s$se_2006)))
}
