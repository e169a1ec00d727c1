#!/usr/bin/env bash
# Set-up command 1: install what is missing, build, and run the main job,
# an attribution analysis of the bundled learner sample.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
bash scripts/build.sh
data=datasets/learners_sample.csv
echo "== attrib describe $data"
build/attrib describe "$data"
