#!/usr/bin/env bash
# Set-up command 2: install what is missing, build, and run the whole test
# suite twice: the normal (Release) build and the AddressSanitizer +
# UndefinedBehaviorSanitizer build. Warnings are errors here.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh --browser
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
