# Reference for the doubly robust Callaway-Sant'Anna estimator
# (tests/cli/did/dr_reference.sh). DRDID and did are not in Debian, so:
#  - the point estimates follow Sant'Anna & Zhao (2020, J. Econometrics
#    219(1)) eq. (3.1) with glm() for the score and lm() for the outcome
#    regression, cell by cell (the comparison: never treated; base period
#    g - 1 for post cells, t - 1 before);
#  - the standard errors use the influence function of DRDID::drdid_panel
#    (score and regression estimation effects), written here in R matrix
#    algebra, and a pairs bootstrap of one cell (B = 2000) checks its scale;
#  - the data have covariate-specific trends (gamma_t x1) that break
#    unconditional parallel trends, so the unconditional estimator is biased
#    and the DR one recovers the truth tau_gt = 1 + 0.5 (t - g).
set.seed(5)
n <- 2000; Tn <- 6
x1 <- rnorm(n); x2 <- rbinom(n, 1, 0.5)
u <- plogis(-0.3 + 0.9 * x1 + 0.3 * x2)
cohort <- ifelse(runif(n) < u, sample(c(3, 5), n, replace = TRUE), 0)
alpha <- rnorm(n, 0, 2) + x1
d <- do.call(rbind, lapply(1:Tn, function(t) {
  tau <- ifelse(cohort > 0 & t >= cohort, 1 + 0.5 * (t - cohort), 0)
  data.frame(id = 1:n, period = t, cohort = cohort, x1 = round(x1, 6), x2 = x2,
             y = round(10 + alpha + 0.5 * t + 0.4 * t * x1 + tau + rnorm(n), 6))
}))
write.csv(d, "did_dr_panel.csv", row.names = FALSE, quote = FALSE)
d <- read.csv("did_dr_panel.csv")
W <- reshape(d[, c("id", "period", "y", "cohort", "x1", "x2")], idvar = c("id", "cohort", "x1", "x2"),
             timevar = "period", direction = "wide")
Y <- as.matrix(W[, paste0("y.", 1:Tn)]); coh <- W$cohort; N <- nrow(W)
source("drdid.R")
out <- NULL; cells <- NULL; psis <- list()
for (g in c(3, 5)) for (t in 2:Tn) {
  b <- if (t >= g) g - 1 else t - 1
  sel <- coh == g | coh == 0
  dy <- (Y[, t] - Y[, b])[sel]; D <- as.integer(coh[sel] == g)
  X <- cbind(1, W$x1[sel], W$x2[sel])
  r <- drdid(dy, D, X)
  m <- sum(sel)
  psi <- rep(0, N); psi[sel] <- N / m * r$inf
  out <- rbind(out, data.frame(name = sprintf("dr_%d_%d", g, t), estimate = r$att, std_error = sqrt(sum(psi^2)) / N))
  cells <- rbind(cells, data.frame(g = g, t = t, att = r$att)); psis[[length(psis) + 1]] <- psi
}
keep <- which(cells$t >= cells$g)
pg <- sapply(cells$g, function(g) mean(coh == g)); S <- sum(pg[keep]); w <- pg[keep] / S
psi <- Reduce(`+`, Map(function(k, wk) wk * psis[[k]], keep, w)) +
  drop((sapply(keep, function(k) (as.integer(coh == cells$g[k]) - pg[k]) / S) -
        outer(rowSums(sapply(keep, function(k) as.integer(coh == cells$g[k]) - pg[k])), pg[keep] / S^2)) %*% cells$att[keep])
truth <- sum(w * (1 + 0.5 * (cells$t[keep] - cells$g[keep])))
out <- rbind(out, data.frame(name = "simple", estimate = sum(w * cells$att[keep]), std_error = sqrt(sum(psi^2)) / N),
             data.frame(name = "truth_simple", estimate = truth, std_error = NA))
# pairs bootstrap of the (3, 4) cell: its SD should match the IF SE within Monte Carlo error
set.seed(9)
sel <- which(coh == 3 | coh == 0)
bs <- replicate(2000, { i <- sample(sel, replace = TRUE)
  drdid(Y[i, 4] - Y[i, 2], as.integer(coh[i] == 3), cbind(1, W$x1[i], W$x2[i]))$att })
out <- rbind(out, data.frame(name = "boot_sd_3_4", estimate = sd(bs), std_error = NA))
write.csv(format(out, digits = 15), "did_dr_expected.csv", row.names = FALSE, quote = FALSE)
print(out)
