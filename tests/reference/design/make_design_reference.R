# Reference model matrices for tests/unit/test_design.c.
# Run from this folder: Rscript make_design_reference.R
# Made with R 4.2.2 (Debian bookworm). LC_COLLATE=C so factor levels sort by
# bytes, as attrib documents.
Sys.setlocale("LC_COLLATE", "C")
d <- read.csv("design_small.csv", na.strings = c("", "NA"))
formulas <- list(
  f1 = y ~ x + factor(g),
  f2 = y ~ 0 + factor(g) + factor(h),
  f3 = y ~ x * factor(g),
  f4 = y ~ x:factor(g),
  f5 = y ~ factor(g):factor(h),
  f6 = y ~ factor(g) * factor(h),
  f7 = y ~ x + z + x:z - 1,
  f8 = y ~ g + x,
  f9 = y ~ factor(team) + z
)
for (nm in names(formulas)) {
  mf <- model.frame(formulas[[nm]], data = d, na.action = na.omit, drop.unused.levels = TRUE)
  X <- model.matrix(formulas[[nm]], mf)
  out <- as.data.frame(X, check.names = FALSE)
  write.csv(out, sprintf("expected_%s.csv", nm), row.names = FALSE, quote = TRUE)
}
# weighted fit for the row accounting: rows with w <= 0 are dropped by attrib
cat("done\n")
