#!/usr/bin/env bash
# Regenerates the bundled data sets. The simulated ones need build/attrib;
# lalonde.csv needs R with r-cran-matchit (apt-get install r-cran-matchit).
set -euo pipefail
cd "$(dirname "$0")/.."
build/attrib simulate --rows 2000 --seed 20261122 --effect 2 \
  -o datasets/learners_sample.csv --truth datasets/learners_sample.truth.json
build/attrib simulate --design panel --rows 500 --periods 8 --seed 20261122 --effect 2 \
  -o datasets/panel_sample.csv --truth datasets/panel_sample.truth.json
if command -v Rscript >/dev/null; then Rscript datasets/export_lalonde.R; fi
