#!/bin/sh
# Builds scan_bench in Release (its own build folder) and prints the decode-time table.
# Usage: bench/scan/run.sh [runs]
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
build="$root/build-scan-release"
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$build" -j2 --target scan_bench
"$build/bench/scan/scan_bench" "$@"
