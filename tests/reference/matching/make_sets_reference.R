# Reference for matching WITHOUT replacement (tests/unit/test_match.c): a
# plain brute-force greedy matcher written here from attrib's documented
# rules (treated by descending score, ties by id; nearest available control,
# ties by id; ratio in rounds; caliper in score units) -- MatchIt 4.5.1 in
# Debian bookworm misapplies calipers, so it is not the reference -- then
# MatchIt's weights (treated 1, controls 1/k scaled to sum to the number of
# matched controls) and the SE MatchIt's documentation recommends:
# lm(y ~ treat, weights) with sandwich::vcovCL(cluster = ~subclass) (CR1).
# Run from this folder: Rscript make_sets_reference.R
suppressMessages(library(sandwich))
d <- read.csv("matching_data.csv")
greedy <- function(dist, tr, id, ratio, caliper) {
  t_idx <- which(tr == 1); c_idx <- which(tr == 0)
  ord <- t_idx[order(-dist[t_idx], id[t_idx])]
  used <- rep(FALSE, length(dist))
  sets <- vector("list", length(ord))
  for (r in seq_len(ratio)) for (a in seq_along(ord)) {
    if (length(sets[[a]]) < r - 1) next
    cand <- c_idx[!used[c_idx]]
    diff <- abs(dist[cand] - dist[ord[a]])
    keep <- if (caliper > 0) diff <= caliper else rep(TRUE, length(cand))
    if (!any(keep)) next
    cand <- cand[keep]; diff <- diff[keep]
    j <- cand[order(diff, id[cand])[1]]
    used[j] <- TRUE
    sets[[a]] <- c(sets[[a]], j)
  }
  list(ord = ord, sets = sets)
}
out <- NULL
for (cfg in list(c(1, 0), c(2, 0), c(1, 0.01), c(3, 0.02))) {
  g <- greedy(d$ps, d$treat, d$id, cfg[1], cfg[2])
  w <- rep(0, nrow(d)); sub <- rep(NA, nrow(d)); s <- 0
  for (a in seq_along(g$ord)) {
    if (length(g$sets[[a]]) == 0) next
    s <- s + 1
    w[g$ord[a]] <- 1; sub[g$ord[a]] <- s
    w[g$sets[[a]]] <- 1 / length(g$sets[[a]]); sub[g$sets[[a]]] <- s
  }
  ctl <- d$treat == 0 & w > 0
  w[ctl] <- w[ctl] * sum(ctl) / sum(w[ctl])
  m <- d[w > 0, ]; m$w <- w[w > 0]; m$subclass <- sub[w > 0]
  fit <- lm(y ~ treat, data = m, weights = w)
  se <- sqrt(vcovCL(fit, cluster = ~subclass)["treat", "treat"])
  out <- rbind(out, data.frame(ratio = cfg[1], caliper = cfg[2], sets = s, matched_controls = sum(ctl),
                               estimate = coef(fit)[["treat"]], se = se))
}
options(digits = 17)
write.csv(out, "sets_expected.csv", row.names = FALSE)
print(out)
