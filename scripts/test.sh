#!/usr/bin/env bash
# Installs everything the tests need, builds, and runs every test:
#   unit and contract tests, end-to-end HTTP tests on loopback, the metadata pipeline against a
#   fake provider, worker processes, DynamoDB/SQS adapter and multi-process tests against local
#   emulators (dynalite, fauxqs), the Lambda adapter against a fake Runtime API, the packaged
#   Lambda bootstrap, the CloudFormation lint, and the browser test in headless Chromium.
#   scripts/test.sh              everything above (what CI runs first)
#   scripts/test.sh --heavy      also the slow suites and the benchmarks
#   scripts/test.sh --slow-only  only the slow suites and the benchmarks (CI runs it if time allows)
#   scripts/test.sh --unit       only the fast tests (no emulators, no browser)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
mode="${1:-default}"

scripts/install-deps.sh --test
cmake -S . -B build/test -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build/test -j "$(nproc)"

ctest_run() { ctest --test-dir build/test --output-on-failure --timeout 600 "$@"; }

case "${mode}" in
  --unit)
    ctest_run -L fast -j 2
    exit 0
    ;;
  --slow-only)
    ctest_run -L slow
    bench/run.sh
    exit 0
    ;;
esac

# DynamoDB and SQS emulators from npm on 127.0.0.1 for the emulator-labelled tests; without
# their endpoints those tests skip, so they must be running here.
eval "$(scripts/emulators.sh start)"
trap 'scripts/emulators.sh stop >/dev/null 2>&1 || true' EXIT

status=0
scripts/format.sh --check || status=1
ctest_run -L fast -j 2 || status=1
ctest_run -L emulator || status=1
ctest_run -L aws || status=1
ctest_run -L browser || status=1
if [[ "${mode}" == "--heavy" ]]; then
  ctest_run -L slow || status=1
  bench/run.sh || status=1
fi

if [[ ${status} -ne 0 ]]; then
  echo "test.sh: SOME TESTS FAILED" >&2
  exit 1
fi
echo "test.sh: all tests passed" >&2
