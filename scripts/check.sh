#!/usr/bin/env bash
# Set-up command 2: install what is missing, build, and run the whole test
# suite twice: the normal (Release) build and the AddressSanitizer +
# UndefinedBehaviorSanitizer build, then a 30-second fuzz smoke per target.
# Warnings are errors here.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh --browser --fuzz
export OPENBLAS_NUM_THREADS=1

echo "== Release build"
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DATTRIB_WERROR=ON >/dev/null
cmake --build build -j"$(nproc)"
(cd build && ctest --output-on-failure -j"$(nproc)")

echo "== AddressSanitizer + UndefinedBehaviorSanitizer build"
cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DATTRIB_SANITIZE=ON -DATTRIB_WERROR=ON >/dev/null
cmake --build build-asan -j"$(nproc)"
(cd build-asan && ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
   ctest --output-on-failure -j"$(nproc)")

# Both suites above replayed the fuzz corpora (fuzz.replay.*). A short
# libFuzzer smoke on top: 30 s per target with a fixed seed, no corpus
# merge, no log (about 3 minutes with the clang build; the long campaigns
# run by hand: tests/fuzz/README.md).
echo "== Fuzz smoke (clang, libFuzzer, ASan + UBSan)"
bash scripts/fuzz.sh 30 --no-merge --no-log --seed 1
