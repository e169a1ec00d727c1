# Reference values for attrib mediate (tests/unit/test_mediate.c), from
# base R's lm() and the formulas written out (the R package mediation is
# not installed here; its linear-linear case computes the same quantities,
# see docs/methods/mediation.md). Run from this folder:
#   LC_ALL=C Rscript make_mediation_reference.R
# Writes
#   mediation_data.csv: 240 learners, treatment t (0/1), mediator m, outcome
#     y, covariates x1 (numeric) and role (text, 3 levels), with a few values
#     missing in m, y and x1 (each fit uses the rows where its columns are
#     present: x1's missing value counts only with the covariates);
#   mediation_expected.csv: spec, quantity, value: for each specification
#     (plain: no covariates; cov: x1 + factor(role); inter: cov and t:m)
#     the point estimates, the coefficients and their SEs, the residual SDs
#     and R2s, the sensitivity figures, and the analytic mean and SD of the
#     quasi-Bayesian draws of the ACME (and of the ADE without the
#     interaction), against which the draws are checked within Monte Carlo
#     error.
set.seed(20261207)
n <- 240
x1 <- round(rnorm(n), 3)
role <- sample(c("analyst", "lead", "rep"), n, replace = TRUE)
t <- rbinom(n, 1, 0.5)
m <- round(1 + 0.7 * t + 0.5 * x1 + 0.4 * (role == "lead") + rnorm(n), 3)
y <- round(2 + 0.3 * t + 0.6 * m + 0.25 * t * m + 0.2 * x1 - 0.3 * (role == "rep") + rnorm(n), 3)
m[c(5, 77)] <- NA
y[c(12, 150, 151)] <- NA
x1[c(33)] <- NA
d <- data.frame(t = t, m = m, y = y, x1 = x1, role = role)
write.csv(d, "mediation_data.csv", row.names = FALSE, quote = FALSE, na = "")

out <- list()
add <- function(spec, q, v) out[[length(out) + 1]] <<- data.frame(spec = spec, quantity = q, value = v)
specs <- list(plain = list(cov = "", inter = FALSE),
              cov = list(cov = " + x1 + factor(role)", inter = FALSE),
              inter = list(cov = " + x1 + factor(role)", inter = TRUE))
for (name in names(specs)) {
  s <- specs[[name]]
  # the rows where the columns this specification uses are present
  cc <- na.omit(d[, c("t", "m", "y", if (nzchar(s$cov)) c("x1", "role"))])
  fm <- lm(as.formula(paste0("m ~ t", s$cov)), data = cc)
  fy <- lm(as.formula(paste0("y ~ t + m", if (s$inter) " + t:m" else "", s$cov)), data = cc)
  fr <- lm(as.formula(paste0("y ~ t", s$cov)), data = cc)   # reduced form (no mediator)
  a <- coef(fm)[["t"]]; b <- coef(fy)[["m"]]; c <- coef(fy)[["t"]]
  g <- if (s$inter) coef(fy)[["t:m"]] else 0
  # mbar(t) = mean over the rows of the fitted mediator at treatment t
  X0 <- model.matrix(fm); X0[, "t"] <- 0
  m0 <- mean(X0 %*% coef(fm))
  acme1 <- a * (b + g); acme0 <- a * b
  ade1 <- c + g * (m0 + a); ade0 <- c + g * m0
  total <- acme1 + ade0
  add(name, "n", nrow(cc))
  add(name, "acme", (acme1 + acme0) / 2); add(name, "acme_treated", acme1); add(name, "acme_control", acme0)
  add(name, "ade", (ade1 + ade0) / 2); add(name, "ade_treated", ade1); add(name, "ade_control", ade0)
  add(name, "total_effect", total)
  add(name, "prop_mediated", (acme1 + acme0) / 2 / total)
  add(name, "prop_mediated_treated", acme1 / total); add(name, "prop_mediated_control", acme0 / total)
  # without the interaction the total effect is the reduced form's coefficient (an OLS identity)
  if (!s$inter) add(name, "reduced_form_treat", coef(fr)[["t"]])
  Vm <- vcov(fm); Vy <- vcov(fy)
  add(name, "med_treat", a); add(name, "med_treat_se", sqrt(Vm["t", "t"]))
  add(name, "out_treat", c); add(name, "out_treat_se", sqrt(Vy["t", "t"]))
  add(name, "out_mediator", b); add(name, "out_mediator_se", sqrt(Vy["m", "m"]))
  if (s$inter) { add(name, "out_interaction", g); add(name, "out_interaction_se", sqrt(Vy["t:m", "t:m"])) }
  add(name, "med_mean_control", m0)
  add(name, "med_sigma", summary(fm)$sigma); add(name, "out_sigma", summary(fy)$sigma)
  add(name, "med_r2", summary(fm)$r.squared); add(name, "out_r2", summary(fy)$r.squared)
  if (!s$inter) {
    # Imai, Keele & Yamamoto (2010): rho_tilde, the correlation of the
    # residuals of the mediator model and of the outcome model without the
    # mediator; ACME(rho) = a sigma1/sigma2 (rt - rho sqrt((1 - rt^2)/(1 - rho^2)))
    rt <- cor(residuals(fm), residuals(fr))
    s1 <- sqrt(sum(residuals(fr)^2)); s2 <- sqrt(sum(residuals(fm)^2))
    add(name, "rho_at_zero", rt)
    add(name, "r2_star_prod_at_zero", rt^2)
    add(name, "r2_tilde_prod_at_zero", (1 - summary(fm)$r.squared) * (1 - summary(fy)$r.squared) * rt^2)
    for (rho in c(-0.9, -0.5, 0, 0.3, 0.9))
      add(name, sprintf("sens_acme_%+.1f", rho), a * s1 / s2 * (rt - rho * sqrt((1 - rt^2) / (1 - rho^2))))
    # the root of ACME(rho) found numerically, as a check of the closed form
    add(name, "rho_at_zero_uniroot",
        uniroot(function(rho) a * s1 / s2 * (rt - rho * sqrt((1 - rt^2) / (1 - rho^2))), c(-0.999, 0.999),
                tol = 1e-14)$root)
  }
  # quasi-Bayesian draws: a* ~ N(a, Va), (b*, g*) ~ N((b, g), Vbg), independent.
  # ACME(t)* = a* (b* + g* t): mean a (b + g t), variance (exact for a
  # product of independent normals) (b + g t)^2 Va + a^2 Vt + Va Vt with Vt
  # = Var(b* + g* t).
  Va <- Vm["t", "t"]
  for (tt in 0:1) {
    Vt <- Vy["m", "m"] + if (s$inter) tt^2 * Vy["t:m", "t:m"] + 2 * tt * Vy["m", "t:m"] else 0
    bt <- b + g * tt
    add(name, sprintf("qb_acme%d_mean", tt), a * bt)
    add(name, sprintf("qb_acme%d_sd", tt), sqrt(bt^2 * Va + a^2 * Vt + Va * Vt))
  }
  if (!s$inter) { add(name, "qb_ade_mean", c); add(name, "qb_ade_sd", sqrt(Vy["t", "t"])) }
}
res <- do.call(rbind, out)
write.csv(transform(res, value = sprintf("%.17g", value)), "mediation_expected.csv", row.names = FALSE, quote = FALSE)
