#!/usr/bin/env bash
# Installs the packages, builds Booklib (Release) and starts it on its embedded defaults:
# SQLite in ./data, http://127.0.0.1:8080. Extra arguments go to `booklib serve`.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

scripts/install-deps.sh
cmake -S . -B build/release -G Ninja -DCMAKE_BUILD_TYPE=Release -DBOOKLIB_WERROR=OFF >/dev/null
cmake --build build/release --target booklib
exec build/release/src/cli/booklib serve "$@"
