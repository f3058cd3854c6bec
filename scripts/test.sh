#!/usr/bin/env bash
# Installs everything the tests need, builds, and runs every test:
#   unit and contract tests, end-to-end HTTP tests on loopback, the metadata pipeline against a
#   fake provider, DynamoDB/SQS adapter tests against local emulators, the Lambda adapter against a
#   fake Runtime API, the packaged Lambda bootstrap, the CloudFormation lint, and the browser test.
#   scripts/test.sh            everything above (the default; what CI runs first)
#   scripts/test.sh --heavy    also the slow suites and the benchmarks
#   scripts/test.sh --slow-only  only the slow suites and the benchmarks (CI runs it if time allows)
#   scripts/test.sh --unit     only the fast tests (no emulators, no browser)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
mode="${1:-default}"

scripts/install-deps.sh --test
cmake -S . -B build/test -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build/test -j "$(nproc)"

if [[ "${mode}" == "--unit" ]]; then
  exec ctest --test-dir build/test -L fast --output-on-failure -j 2
fi

status=0
run() { echo "== $*" >&2; "$@" || status=1; }

if [[ "${mode}" == "--slow-only" ]]; then
  run ctest --test-dir build/test -L slow --output-on-failure --timeout 1800
  [[ -x bench/run.sh ]] && run bench/run.sh
  exit ${status}
fi

run ctest --test-dir build/test -L fast --output-on-failure -j 2 --timeout 300

# Emulator-backed adapter tests: dynalite and fauxqs from npm, on 127.0.0.1.
if [[ -x scripts/emulators.sh ]]; then
  eval "$(scripts/emulators.sh start)"
  trap 'scripts/emulators.sh stop >/dev/null 2>&1 || true' EXIT
  run ctest --test-dir build/test -L emulator --output-on-failure --timeout 600
fi

for extra in tests/run-extra-*.sh; do
  [[ -x "${extra}" ]] && run "${extra}" build/test
done

if [[ "${mode}" == "--heavy" ]]; then
  run ctest --test-dir build/test -L slow --output-on-failure --timeout 1800
  [[ -x bench/run.sh ]] && run bench/run.sh
fi

if [[ ${status} -ne 0 ]]; then
  echo "test.sh: SOME TESTS FAILED" >&2
  exit 1
fi
echo "test.sh: all tests passed" >&2
