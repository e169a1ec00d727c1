# Exports the Lalonde NSW/PSID data shipped in Debian r-cran-matchit (MatchIt 4.5.1)
# to datasets/lalonde.csv. Run from the repository root: Rscript datasets/export_lalonde.R
data("lalonde", package = "MatchIt")
d <- data.frame(id = rownames(lalonde), lalonde, check.names = FALSE)
write.csv(d, "datasets/lalonde.csv", row.names = FALSE, quote = FALSE)
cat(packageVersion("MatchIt") |> as.character(), "\n")
