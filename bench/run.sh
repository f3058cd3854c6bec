#!/usr/bin/env bash
# Builds the benchmarks in Release (build/bench) and prints their tables:
#   metadata pipeline throughput (books/s), barcode decode time of a 12-megapixel photo, and the
#   library page at 10,000 books (store query and whole page: first and deep pages, searches, filters).
# The machine is shared and noisy: read ratios within one run, not absolute numbers across runs.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${root}/build/bench"
cmake -S "${root}" -B "${build}" -G Ninja -DCMAKE_BUILD_TYPE=Release -DBOOKLIB_WERROR=OFF >/dev/null
cmake --build "${build}" -j "$(nproc)" --target metadata_bench scan_bench library_bench
echo
"${build}/bench/metadata/metadata_bench" 1000 100
echo
"${build}/bench/scan/scan_bench"
echo
"${build}/bench/library/library_bench" 10000 20
