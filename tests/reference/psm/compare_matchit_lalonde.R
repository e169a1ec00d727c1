# Documents (does not test) how MatchIt 4.5.1 and attrib differ on Lalonde
# for 1:1 nearest-neighbour matching on the propensity score without
# replacement or caliper (docs/methods/psm.md, "What we found").
# Run from the repository root: Rscript tests/reference/psm/compare_matchit_lalonde.R build/attrib
suppressMessages({library(MatchIt); library(sandwich)})
attrib <- commandArgs(TRUE)[1]
d <- read.csv("datasets/lalonde.csv")
f <- treat ~ age + educ + race + married + nodegree + re74 + re75
m <- matchit(f, data = d, method = "nearest", distance = "glm")
md <- match.data(m)
fit <- lm(re78 ~ treat, data = md, weights = weights)
cat(sprintf("MatchIt: ATT %.4f, SE %.4f (vcovCL by subclass)\n", coef(fit)[2],
            sqrt(vcovCL(fit, cluster = ~subclass)[2, 2])))
pairs <- tempfile(fileext = ".csv")
out <- system2(attrib, c("psm", "datasets/lalonde.csv", "--treat", "treat", "--outcome", "re78",
                         "--covariates", "age,educ,race,married,nodegree,re74,re75", "--distance", "score",
                         "--matches", pairs, "-q"), stdout = TRUE)
cat("attrib:", grep("^ATT of", out, value = TRUE), "\n")
a <- read.csv(pairs)                       # rows are 1-based data rows, as MatchIt's row names
r <- data.frame(t = as.integer(rownames(m$match.matrix)), c = as.integer(m$match.matrix[, 1]))
mine <- setNames(a$control, a$treated)
diff <- r[r$c != mine[as.character(r$t)], ]
cat(sprintf("treated matched differently: %d of %d\n", nrow(diff), nrow(r)))
# the first divergences are exact score ties among controls with identical covariates
for (t in head(diff$t, 3)) {
  cm <- r$c[r$t == t]; ca <- mine[as.character(t)]
  cat(sprintf("treated %d: MatchIt -> %d (score %.15g), attrib -> %d (score %.15g)\n", t, cm, m$distance[cm],
              ca, m$distance[ca]))
}
