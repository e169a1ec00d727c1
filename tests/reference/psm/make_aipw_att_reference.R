# Reference for psm --method aipw --estimand att (tests/cli/psm/weighting.sh):
# the doubly robust ATT of Sant'Anna & Zhao (2020) in its cross-section form
# (outcome re78 in place of a long difference), on the Lalonde data with the
# covariates of the psm tests, by ../did/drdid.R (glm + lm + DRDID's
# influence function); SE = sqrt(sum IF^2) / n.
# Run from this folder: Rscript make_aipw_att_reference.R
source("../did/drdid.R")
d <- read.csv("../../cli/data/lalonde.csv")
X <- model.matrix(~ age + educ + race + married + nodegree + re74 + re75, d)
r <- drdid(d$re78, d$treat, X)
out <- data.frame(estimate = r$att, std_error = sqrt(sum(r$inf^2)) / nrow(d))
write.csv(format(out, digits = 15), "aipw_att_expected.csv", row.names = FALSE, quote = FALSE)
print(out)
