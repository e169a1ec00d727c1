# Reference for `attrib psm` without replacement (tests/cli/psm/greedy_reference.sh):
# an independent brute-force greedy matcher (O(n^2), written from the
# documented rules, not from attrib's code) plus the psm-level steps attrib
# adds around the matcher: discard by the other group's distance range,
# the caliper in SDs of the distance over the kept units (MatchIt's
# process.caliper: sd(distance[!discarded])), exact strata, the ATC as the
# flipped problem. Then MatchIt's weights and the SE MatchIt recommends:
# lm(y ~ treat, weights) + sandwich::vcovCL(cluster = ~subclass) (CR1).
# MatchIt itself is not the reference (its 4.5.1 caliper bug, see the brief).
# Run from this folder: Rscript make_psm_reference.R
suppressMessages(library(sandwich))
d <- read.csv("../matching/matching_data.csv")
d$g <- c("a", "b", "c")[d$id %% 3 + 1]
write.csv(d[, c("id", "treat", "y", "ps", "g")], "psm_data.csv", row.names = FALSE, quote = FALSE)
d <- read.csv("psm_data.csv")

greedy <- function(dist, focal, id, ratio, caliper) {
  f_idx <- which(focal); c_idx <- which(!focal)
  ord <- f_idx[order(-dist[f_idx], id[f_idx])]       # largest distance first, ties by id
  used <- rep(FALSE, length(dist))
  sets <- vector("list", length(ord))
  for (r in seq_len(ratio)) for (a in seq_along(ord)) {  # ratio in rounds
    if (length(sets[[a]]) < r - 1) next
    cand <- c_idx[!used[c_idx]]
    diff <- abs(dist[cand] - dist[ord[a]])
    keep <- if (caliper > 0) diff <= caliper else rep(TRUE, length(cand))
    if (!any(keep)) next
    cand <- cand[keep]; diff <- diff[keep]
    j <- cand[order(diff, id[cand])[1]]                # nearest, ties by id
    used[j] <- TRUE
    sets[[a]] <- c(sets[[a]], j)
  }
  list(ord = ord, sets = sets)
}

configs <- list(
  list(name = "A", distance = "logit", estimand = "ATT", ratio = 1, caliper = 0.25, discard = "both", exact = TRUE),
  list(name = "B", distance = "score", estimand = "ATT", ratio = 2, caliper = 0.1, discard = "treated", exact = FALSE),
  list(name = "C", distance = "logit", estimand = "ATC", ratio = 1, caliper = 0, discard = "none", exact = TRUE),
  list(name = "D", distance = "logit", estimand = "ATT", ratio = 3, caliper = 0.05, discard = "control", exact = FALSE))
out <- NULL
for (cf in configs) {
  n <- nrow(d); tr <- d$treat
  dist <- if (cf$distance == "logit") qlogis(d$ps) else d$ps
  r1 <- range(dist[tr == 1]); r0 <- range(dist[tr == 0])
  off <- rep(FALSE, n)
  if (cf$discard %in% c("treated", "both")) off <- off | (tr == 1 & (dist < r0[1] | dist > r0[2]))
  if (cf$discard %in% c("control", "both")) off <- off | (tr == 0 & (dist < r1[1] | dist > r1[2]))
  cal <- if (cf$caliper > 0) cf$caliper * sd(dist[!off]) else 0
  focal <- if (cf$estimand == "ATT") tr == 1 else tr == 0
  strata <- if (cf$exact) d$g else rep("all", n)
  w <- rep(0, n); sub <- rep(NA, n); pairs <- NULL; set <- 0
  for (s in sort(unique(strata[!off]))) {
    idx <- which(!off & strata == s)
    m <- greedy(dist[idx], focal[idx], d$id[idx], cf$ratio, cal)
    for (a in seq_along(m$ord)) {
      if (length(m$sets[[a]]) == 0) next
      set <- set + 1
      f <- idx[m$ord[a]]; cs <- idx[m$sets[[a]]]
      w[f] <- 1; sub[f] <- set
      w[cs] <- 1 / length(cs); sub[cs] <- set
      tt <- if (tr[f] == 1) d$id[f] else d$id[cs]
      cc <- if (tr[f] == 1) d$id[cs] else d$id[f]
      pairs <- rbind(pairs, data.frame(treated = tt, control = cc))
    }
  }
  cand <- w > 0 & !focal
  w[cand] <- w[cand] * sum(cand) / sum(w[cand])        # MatchIt: candidate weights sum to their count
  md <- data.frame(y = d$y, f = as.numeric(focal), w = w, sub = sub)[w > 0, ]
  fit <- lm(y ~ f, data = md, weights = w)
  se <- sqrt(vcovCL(fit, cluster = ~sub, type = "HC1")[2, 2])
  sgn <- if (cf$estimand == "ATT") 1 else -1
  out <- rbind(out, data.frame(config = cf$name, estimate = sgn * unname(coef(fit)[2]), se = se,
                               n_treated_matched = sum(w > 0 & tr == 1), n_control_matched = sum(w > 0 & tr == 0),
                               n_treated_discarded = sum(off & tr == 1), n_control_discarded = sum(off & tr == 0),
                               n_sets = set))
  pairs <- pairs[order(pairs$treated, pairs$control), ]
  write.csv(pairs, sprintf("pairs_%s.csv", cf$name), row.names = FALSE, quote = FALSE)
}
options(digits = 17)
write.csv(out, "psm_expected.csv", row.names = FALSE, quote = FALSE)
print(out)
