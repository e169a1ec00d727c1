# References for the omitted-variable-bias module (tests/unit/test_sensitivity_ovb.c),
# computed with lm and the formulas of Cinelli & Hazlett (2020, JRSS B 82(1)) written out
# below, not from attrib's code (sensemakr is not in Debian, so it is not used either).
# The script checks its own numbers against the figures sensemakr publishes for the
# same data (ovb_sensemakr_published.csv) before writing anything.
#
#   Rscript make_ovb_reference.R      (in this folder; R 4.2.2)
#
# Writes ovb_stats.csv (sensitivity statistics), ovb_bounds.csv (benchmark bounds with
# kd = ky and kd != ky, one capped at R2yz.dx = 1, q = 1 and q = 1/2), ovb_rv.csv (robustness values on (t, df)
# inputs covering both branches of RV_{q,alpha}) and ovb_grid.csv (the contour grid).
#
# The formulas (the paper's section or equation; sensemakr's function in brackets):
#  - partial R2 of a regressor from its t and the residual df (sec. 4):
#      R2 = t^2 / (t^2 + df)                                       [partial_r2]
#  - bias of a confounder with partial R2s (R2dz.x, R2yz.dx) (eq. 14):
#      |bias| = se * sqrt(df) * sqrt(R2yz.dx * R2dz.x / (1 - R2dz.x))   [bias]
#    the adjusted estimate reduces |estimate| by it                [adjusted_estimate]
#  - adjusted SE (sec. 4): se * sqrt((1 - R2yz.dx) / (1 - R2dz.x)) * sqrt(df / (df - 1))
#  - adjusted t for H0: beta = (1 - q) * estimate (the threshold RV_{q,alpha} is about):
#      (adjusted - (1 - q) * estimate) / adjusted SE               [adjusted_t, h0]
#  - adjusted interval: adjusted -+ qt(1 - alpha/2, df) * adjusted SE
#    (sensemakr's ovb_bounds: the model's residual df)
#  - robustness values (eq. 18-19): f_q = q |t| / sqrt(df),
#      RV_q = (sqrt(f_q^4 + 4 f_q^2) - f_q^2) / 2;
#    with f* = |qt(alpha/2, df - 1)| / sqrt(df - 1) and f_{q,alpha} = f_q - f*:
#      RV_{q,alpha} = 0 when f_{q,alpha} <= 0,
#                   = (f_q^2 - f*^2) / (1 + f_q^2) when f_q > 1/f* (the constraint
#                     R2yz.dx <= 1 does not bind: the extreme confounder with
#                     R2yz.dx < R2dz.x is cheaper),
#                   = the RV formula at f_{q,alpha} otherwise        [robustness_value]
#  - bounds from a benchmark covariate X_j (sec. 6 and its footnote 10):
#      R2dz.x  = kd * R2dxj.x / (1 - R2dxj.x)
#      R2zxj   = kd * R2dxj.x^2 / ((1 - kd R2dxj.x) (1 - R2dxj.x))
#      eta     = (sqrt(ky) + sqrt(R2zxj)) / sqrt(1 - R2zxj)
#      R2yz.dx = eta^2 * R2yxj.dx / (1 - R2yxj.dx), capped at 1      [ovb_partial_r2_bound]
#    where R2dxj.x is X_j's partial R2 in the treatment regression (the outcome model's
#    right-hand side without the treatment, the same rows) and R2yxj.dx in the outcome one.
options(digits = 17)
d <- read.csv("darfur.csv")
y_model <- lm(peacefactor ~ directlyharmed + age + farmer_dar + herder_dar + pastvoted + hhsize_darfur + female +
                factor(village), data = d)
d_model <- lm(directlyharmed ~ age + farmer_dar + herder_dar + pastvoted + hhsize_darfur + female + factor(village),
              data = d[rownames(model.frame(y_model)), ])
ct <- function(m, term) { s <- coef(summary(m)); unname(s[term, "t value"]) }

partial_r2 <- function(t, df) t^2 / (t^2 + df)
rv <- function(t, df, q, alpha) {
  fq <- q * abs(t) / sqrt(df)
  fs <- abs(qt(alpha / 2, df - 1)) / sqrt(df - 1)
  fqa <- fq - fs
  if (fqa <= 0) return(c(0, 0))
  if (fs > 0 && fq > 1 / fs) return(c((fq^2 - fs^2) / (1 + fq^2), 2))
  c(0.5 * (sqrt(fqa^4 + 4 * fqa^2) - fqa^2), 1)
}
bias <- function(se, df, r2dz, r2yz) se * sqrt(df) * sqrt(r2yz * r2dz / (1 - r2dz))
adjusted <- function(est, se, df, r2dz, r2yz) sign(est) * (abs(est) - bias(se, df, r2dz, r2yz))
adjusted_se <- function(se, df, r2dz, r2yz) se * sqrt((1 - r2yz) / (1 - r2dz)) * sqrt(df / (df - 1))

est <- unname(coef(y_model)["directlyharmed"])
se <- unname(coef(summary(y_model))["directlyharmed", "Std. Error"])
df <- y_model$df.residual
t <- est / se

stats <- NULL
for (qa in list(c(1, 0.05), c(0.5, 0.05), c(2, 0.05), c(1, 0.1), c(0.5, 0.2)))
  stats <- rbind(stats, data.frame(q = qa[1], alpha = qa[2], estimate = est, std_error = se, t = t, dof = df,
                                   partial_r2 = partial_r2(t, df), rv_q = rv(t, df, qa[1], 1)[1],
                                   rv_qa = rv(t, df, qa[1], qa[2])[1]))

bounds <- NULL
cases <- list(c(1, 1), c(2, 2), c(3, 3), c(1, 2), c(2, 0.5), c(3, 1), c(0.5, 4), c(1, 9))
for (b in c("female", "pastvoted", "age")) {
  r2y <- partial_r2(ct(y_model, b), df)
  r2d <- partial_r2(ct(d_model, b), d_model$df.residual)
  for (q in c(1, 0.5)) for (k in cases) {
    kd <- k[1]; ky <- k[2]
    r2dz <- kd * r2d / (1 - r2d)
    stopifnot(r2dz < 1)
    r2zxj <- kd * r2d^2 / ((1 - kd * r2d) * (1 - r2d))
    eta <- (sqrt(ky) + sqrt(r2zxj)) / sqrt(1 - r2zxj)
    r2yz <- eta^2 * r2y / (1 - r2y)
    capped <- r2yz > 1
    r2yz <- min(r2yz, 1)
    a <- adjusted(est, se, df, r2dz, r2yz)
    s <- adjusted_se(se, df, r2dz, r2yz)
    tc <- qt(1 - 0.05 / 2, df)
    bounds <- rbind(bounds, data.frame(benchmark = b, kd = kd, ky = ky, q = q, alpha = 0.05, r2dxj_x = r2d,
                                       r2yxj_dx = r2y, r2dz_x = r2dz, r2yz_dx = r2yz, capped = as.integer(capped),
                                       adjusted_estimate = a, adjusted_se = s, adjusted_t = if (s > 0) (a - (1 - q) * est) / s else NA,
                                       adjusted_lower = a - tc * s, adjusted_upper = a + tc * s))
  }
}

# robustness values on (t, df): Darfur, sensemakr's non-binding example (test-10-rv-xrv.R:
# df 7, t = 1/0.3), small-df cases on either side of f_q = 1/f*, a negative t, and cases with
# f_{q,alpha} <= 0
rvs <- NULL
for (x in list(c(t, df, 1, 0.05), c(t, df, 0.5, 0.05), c(1 / 0.3, 7, 1, 0.05), c(5, 5, 1, 0.05), c(-5, 5, 1, 0.05),
               c(3, 5, 1, 0.05), c(2.2, 5, 1, 0.05), c(5, 5, 0.5, 0.05), c(10, 3, 1, 0.1), c(1.5, 100, 1, 0.05),
               c(2, 100, 1, 1), c(4, 20, 1, 0.01)))
  rvs <- rbind(rvs, data.frame(t = x[1], dof = x[2], q = x[3], alpha = x[4], rv = rv(x[1], x[2], x[3], x[4])[1],
                               branch = rv(x[1], x[2], x[3], x[4])[2]))

grid <- expand.grid(r2yz_dx = 0.05 * (0:10), r2dz_x = 0.05 * (0:10))[, c(2, 1)]
grid$adjusted_estimate <- adjusted(est, se, df, grid$r2dz_x, grid$r2yz_dx)

# the figures sensemakr publishes for this model (its tests and README): ours must agree
pub <- read.csv("ovb_sensemakr_published.csv")
got <- c(estimate = est, std_error = se, t = t, dof = df, partial_r2 = partial_r2(t, df), rv_q = rv(t, df, 1, 1)[1],
         rv_qa = rv(t, df, 1, 0.05)[1])
f <- bounds[bounds$benchmark == "female" & bounds$q == 1 & bounds$kd == bounds$ky & bounds$kd %in% 1:3, ]
for (k in 1:3) for (col in c("r2dz_x", "r2yz_dx", "adjusted_estimate", "adjusted_se", "adjusted_t", "adjusted_lower",
                             "adjusted_upper"))
  got[paste0("female_kd", k, "_", col)] <- f[f$kd == k, col]
for (i in seq_len(nrow(pub))) {
  g <- got[[pub$name[i]]]
  if (!(abs(g - pub$value[i]) <= pub$abs_tolerance[i]))
    stop(sprintf("%s: %.17g, published %.17g", pub$name[i], g, pub$value[i]))
}

w <- function(x, file) {
  for (j in seq_along(x)) if (is.numeric(x[[j]])) x[[j]] <- ifelse(is.na(x[[j]]), "NA", sprintf("%.17g", x[[j]]))
  write.csv(x, file, row.names = FALSE, quote = FALSE)
}
w(stats, "ovb_stats.csv")
w(bounds, "ovb_bounds.csv")
w(rvs, "ovb_rv.csv")
w(grid, "ovb_grid.csv")
