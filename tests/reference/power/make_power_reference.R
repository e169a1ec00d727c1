# Reference values for attrib power (tests/unit/test_power.c): R's pwr
# package (Champely, r-cran-pwr 1.3-0 in Debian). Run from this folder:
#   LC_ALL=C Rscript make_power_reference.R
# Writes power_expected.csv: one row per call, the solved quantity filled in.
# Columns: fn (t.test = two equal groups, t2n.test = two groups of n1 and n2,
# norm.test = one-sample z), alternative (two.sided or greater), n1, n2
# (t.test: n1 = n2 = per-group n; norm.test: n2 = 0), d, alpha, power,
# solved (power, n or d: the unknown), pwr_root (n or d as pwr itself solves
# it, NA for power). pwr solves with uniroot's default tolerance,
# .Machine$double.eps^0.25 = 1.2e-4 on the root's scale, and takes no tol
# argument; so the n and d columns are roots of pwr's own power function
# (pwr.*.test(...)$power) found by uniroot with tol = 1e-13, exact far below
# the test's tolerance, and pwr's answer is kept beside them.
suppressPackageStartupMessages(library(pwr))
out <- list()
add <- function(fn, alt, n1, n2, d, alpha, power, solved, pwr_root = NA)
  out[[length(out) + 1]] <<- data.frame(fn = fn, alternative = alt, n1 = n1, n2 = n2, d = d,
                                        alpha = alpha, power = power, solved = solved, pwr_root = pwr_root)
root <- function(f, lo, hi) uniroot(f, c(lo, hi), tol = 1e-13, maxiter = 10000)$root
for (alt in c("two.sided", "greater")) {
  for (alpha in c(0.05, 0.01, 0.10)) {
    # power at given n and d
    for (n in c(5, 20, 75, 300)) for (d in c(0.1, 0.3, 0.5, 1.2)) {
      p <- pwr.t.test(n = n, d = d, sig.level = alpha, alternative = alt)$power
      add("t.test", alt, n, n, d, alpha, p, "power")
    }
    # n at given d and power
    for (d in c(0.2, 0.5, 0.8)) for (pw in c(0.8, 0.9)) {
      n0 <- pwr.t.test(d = d, power = pw, sig.level = alpha, alternative = alt)$n
      n <- root(function(n) pwr.t.test(n = n, d = d, sig.level = alpha, alternative = alt)$power - pw, 2.5, 1e5)
      add("t.test", alt, n, n, d, alpha, pw, "n", n0)
    }
    # d at given n and power
    for (n in c(10, 75, 400)) for (pw in c(0.5, 0.8, 0.95)) {
      d0 <- pwr.t.test(n = n, power = pw, sig.level = alpha, alternative = alt)$d
      d <- root(function(d) pwr.t.test(n = n, d = d, sig.level = alpha, alternative = alt)$power - pw, 1e-7, 20)
      add("t.test", alt, n, n, d, alpha, pw, "d", d0)
    }
    # unequal groups (treated:control ratios 1:2, 2:1, 1:4)
    for (nn in list(c(50, 100), c(100, 50), c(30, 120), c(8, 13))) for (d in c(0.3, 0.6)) {
      p <- pwr.t2n.test(n1 = nn[1], n2 = nn[2], d = d, sig.level = alpha, alternative = alt)$power
      add("t2n.test", alt, nn[1], nn[2], d, alpha, p, "power")
    }
    for (nn in list(c(50, 100), c(30, 120))) for (pw in c(0.8, 0.9)) {
      d0 <- pwr.t2n.test(n1 = nn[1], n2 = nn[2], power = pw, sig.level = alpha, alternative = alt)$d
      d <- root(function(d) pwr.t2n.test(n1 = nn[1], n2 = nn[2], d = d, sig.level = alpha,
                                         alternative = alt)$power - pw, 1e-7, 20)
      add("t2n.test", alt, nn[1], nn[2], d, alpha, pw, "d", d0)
    }
    # the normal approximation
    for (n in c(10, 100)) for (d in c(0.2, 0.5)) {
      p <- pwr.norm.test(n = n, d = d, sig.level = alpha, alternative = alt)$power
      add("norm.test", alt, n, 0, d, alpha, p, "power")
    }
    for (d in c(0.2, 0.5)) {
      n0 <- pwr.norm.test(d = d, power = 0.8, sig.level = alpha, alternative = alt)$n
      n <- root(function(n) pwr.norm.test(n = n, d = d, sig.level = alpha, alternative = alt)$power - 0.8, 1.5, 1e6)
      add("norm.test", alt, n, 0, d, alpha, 0.8, "n", n0)
    }
  }
}
res <- do.call(rbind, out)
res[] <- lapply(res, function(x) if (is.numeric(x)) sprintf("%.17g", x) else x)
write.csv(res, "power_expected.csv", row.names = FALSE, quote = FALSE)

# The baseline estimates of attrib_power_from_data on tests/cli/data/learners.csv:
# the outcome's SD, the one-way ANOVA ICC within team (Donner & Klar 2000:
# (MSB - MSW) / (MSB + (m0 - 1) MSW), m0 = (N - sum n_j^2 / N) / (k - 1)) and
# the R2 of lm(sales ~ tenure + prior_perf + factor(role)).
d <- read.csv("../../cli/data/learners.csv")
a <- anova(lm(sales ~ factor(team), d))
k <- length(unique(d$team)); N <- nrow(d)
m0 <- (N - sum(table(d$team)^2) / N) / (k - 1)
msb <- a[1, 3]; msw <- a[2, 3]
b <- data.frame(sd = sd(d$sales), icc = (msb - msw) / (msb + (m0 - 1) * msw), clusters = k,
                r2 = summary(lm(sales ~ tenure + prior_perf + factor(role), d))$r.squared)
b[] <- lapply(b, function(x) sprintf("%.17g", x))
write.csv(b, "baseline_expected.csv", row.names = FALSE, quote = FALSE)

# R's noncentral t distribution function on a grid (attrib_power_pnt): small to
# huge df (past 4e5 R switches to Abramowitz & Stegun 26.7.10), ncp up to 45
# (past 37.62 too), both tails.
g <- expand.grid(q = c(-3, -0.5, 0.7, 2, 5, 30), df = c(1.5, 3, 17, 250, 1e4, 5e5), ncp = c(-2, 0.3, 3, 12, 39, 45))
g$p <- mapply(function(q, df, ncp) pt(q, df, ncp), g$q, g$df, g$ncp)
g[] <- lapply(g, function(x) sprintf("%.17g", x))
write.csv(g, "pt_expected.csv", row.names = FALSE, quote = FALSE)
