# The short run of the recovery benchmark (benchmarks/recovery/, README
# there for the 500-seed figures): 20 seeds of 1,000 learners per design
# through attrib simulate and attrib analyze. Targets: the primary
# method's 95% interval covers the true ATT in at least 85% of the seeds
# for the valid designs (cohort with selection on observables, staggered
# panel with heterogeneous dynamic effects, single-date panel, null effect,
# 12 clusters, poor overlap), and their overlap and pre-trend checks fail
# in at most 20%; poor overlap fails the overlap check, diverging trends
# the pre-trend check, and both make the headline inconclusive, in at
# least 80% of the seeds.
bash "$DATA/../../../benchmarks/recovery/run.sh" --check --seeds 20 --rows 1000
