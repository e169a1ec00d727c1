# References for `attrib did` (tests/cli/did/reference.sh), computed from
# the definitions with base R, lm and sandwich, not from attrib's code.
# did_panel.csv: `attrib simulate --design panel --rows 300 --periods 8 --seed 21`.
#  1. 2x2: lm(y ~ treat * post) on periods 4 (pre) and 6 (post) of cohort-5
#     units vs never-treated, sandwich::vcovCL(cluster = ~learner_id, HC1).
#  2. TWFE: lm(sales ~ D + factor(unit) + factor(period)), cluster by unit,
#     with fixest's small-sample factor G/(G-1) (n-1)/(n-K), K counting the
#     slopes and the period dummies but not the unit dummies (nested in the
#     clusters): vcovCL(type = "HC0", cadjust = FALSE) times that factor.
#  3. Callaway-Sant'Anna ATT(g,t) by the definition: mean long difference of
#     cohort g minus that of the never-treated (and of the not-yet-treated),
#     varying base; the cell SE as the HC0 SE of lm(dY ~ 1[g]) on g and its
#     comparison units (= the influence-function SE of a difference in means).
#  4. The simple aggregation with the estimated cohort shares' influence
#     function (Callaway & Sant'Anna 2021 sec. 4; did's wif), brute force.
#  5. A Goodman-Bacon 2x2 component (bacondecomp is not in Debian; the test
#     also checks Theorem 1: the weights sum to 1 and reproduce the TWFE
#     coefficient).
suppressMessages({library(sandwich)})
d <- read.csv("did_panel.csv")
out <- list()
add <- function(name, est, se) out[[length(out) + 1]] <<- data.frame(name = name, estimate = est, std_error = se)

# 1. 2x2
s <- d[d$period %in% c(4, 6) & d$cohort %in% c(0, 5), ]
s$treat <- as.integer(s$cohort == 5); s$post <- as.integer(s$period == 6)
write.csv(s[, c("learner_id", "team", "treat", "post", "tenure", "sales")], "did_2x2.csv", row.names = FALSE, quote = FALSE)
m <- lm(sales ~ treat * post, data = s)
add("2x2", coef(m)[["treat:post"]], sqrt(vcovCL(m, cluster = ~learner_id, type = "HC1")["treat:post", "treat:post"]))
m <- lm(sales ~ treat * post + tenure, data = s)
add("2x2_cov_team", coef(m)[["treat:post"]], sqrt(vcovCL(m, cluster = ~team, type = "HC1")["treat:post", "treat:post"]))

# 2. TWFE
d$D <- as.integer(d$cohort > 0 & d$period >= d$cohort)
m <- lm(sales ~ D + factor(learner_id) + factor(period), data = d)
G <- length(unique(d$learner_id)); n <- nrow(d); K <- 1 + length(unique(d$period)) - 1
fac <- G / (G - 1) * (n - 1) / (n - K)
V <- vcovCL(m, cluster = ~learner_id, type = "HC0", cadjust = FALSE) * fac
add("twfe", coef(m)[["D"]], sqrt(V["D", "D"]))

# 2b. TWFE event study, window -3..3 with binned end points, reference -1;
#     the joint F test of the leads (-3, -2) with G - 1 denominator df
rel <- ifelse(d$cohort > 0, d$period - d$cohort, NA)
ev <- c(-3, -2, 0, 1, 2, 3)
for (e in ev) {
  v <- if (e == -3) rel <= -3 else if (e == 3) rel >= 3 else rel == e
  d[[sprintf("ev_%s%d", if (e < 0) "m" else "p", abs(e))]] <- as.integer(!is.na(v) & v)
}
evn <- sprintf("ev_%s%d", ifelse(ev < 0, "m", "p"), abs(ev))
m <- lm(as.formula(paste("sales ~", paste(evn, collapse = " + "), "+ factor(learner_id) + factor(period)")), data = d)
K <- length(ev) + length(unique(d$period)) - 1
V <- vcovCL(m, cluster = ~learner_id, type = "HC0", cadjust = FALSE) * G / (G - 1) * (n - 1) / (n - K)
for (j in seq_along(ev)) add(sprintf("es_%d", ev[j]), coef(m)[[evn[j]]], sqrt(V[evn[j], evn[j]]))
b <- coef(m)[evn[1:2]]
Fstat <- drop(t(b) %*% solve(V[evn[1:2], evn[1:2]]) %*% b) / 2
add("es_pretest", Fstat, pf(Fstat, 2, G - 1, lower.tail = FALSE))

# 3. ATT(g,t)
W <- reshape(d[, c("learner_id", "period", "sales", "cohort")], idvar = c("learner_id", "cohort"), timevar = "period",
             direction = "wide")
Y <- as.matrix(W[, paste0("sales.", 1:8)]); coh <- W$cohort; N <- nrow(W)
cells <- NULL; psi_cells <- list()
for (ctrl in c("never", "notyet", "ant1")) for (g in sort(unique(coh[coh > 0]))) for (t in 2:8) {
  ant <- if (ctrl == "ant1") 1 else 0      # ant1: never-treated comparison, one period of anticipation
  b <- if (t >= g) g - 1 - ant else t - 1  # post cells from g on; before g the previous period
  cmp <- if (ctrl == "notyet") (coh == 0 | coh > max(t, b) + ant) & coh != g else coh == 0
  if (!any(cmp)) next
  dY <- Y[, t] - Y[, b]
  sel <- coh == g | cmp
  D <- as.integer(coh[sel] == g)
  m <- lm(dY[sel] ~ D)
  att <- coef(m)[["D"]]
  se <- sqrt(vcovHC(m, type = "HC0")["D", "D"])
  add(sprintf("gt_%s_%d_%d", ctrl, g, t), att, se)
  if (ctrl == "never") {
    psi <- rep(0, N)
    m1 <- mean(dY[coh == g]); m0 <- mean(dY[cmp])
    psi[coh == g] <- N / sum(coh == g) * (dY[coh == g] - m1)
    psi[cmp] <- -N / sum(cmp) * (dY[cmp] - m0)
    cells <- rbind(cells, data.frame(g = g, t = t, att = att))
    psi_cells[[length(psi_cells) + 1]] <- psi
  }
}
# 4. simple aggregation (never-treated comparison): post cells, weights by cohort share
keep <- which(cells$t >= cells$g)
pg <- sapply(cells$g, function(g) mean(coh == g))
w <- pg[keep] / sum(pg[keep])
theta <- sum(w * cells$att[keep])
psi <- Reduce(`+`, Map(function(k, wk) wk * psi_cells[[k]], keep, w))
S <- sum(pg[keep])
wif <- sapply(keep, function(k) (as.integer(coh == cells$g[k]) - pg[k]) / S) -
  outer(rowSums(sapply(keep, function(k) as.integer(coh == cells$g[k]) - pg[k])), pg[keep] / S^2)
psi <- psi + drop(wif %*% cells$att[keep])
add("simple", theta, sqrt(sum(psi^2)) / N)
# 5. One Goodman-Bacon 2x2 component by its definition: cohort 3 against the
#    never treated over the whole panel (post = periods >= 3), from unit-period means.
pm <- function(cond, periods) mean(d$sales[cond & d$period %in% periods])
b3U <- (pm(d$cohort == 3, 3:8) - pm(d$cohort == 3, 1:2)) - (pm(d$cohort == 0, 3:8) - pm(d$cohort == 0, 1:2))
add("bacon_3_never", b3U, NA)
res <- do.call(rbind, out)
write.csv(format(res, digits = 15), "did_expected.csv", row.names = FALSE, quote = FALSE)
print(res[c(1:3, nrow(res)), ])
