#!/usr/bin/env bash
# Installs everything the tests need, builds, and runs every test:
#   unit and contract tests, end-to-end HTTP tests on loopback, the metadata pipeline against a
#   fake provider, worker processes, DynamoDB/SQS adapter and multi-process tests against local
#   emulators (dynalite, fauxqs), the Lambda adapter against a fake Runtime API, the packaged
#   Lambda bootstrap, the CloudFormation lint, the API document's walk (against `booklib serve` and,
#   on the emulators, through the Lambda adapter) and lint, and the browser test in headless Chromium, after the
#   format check and clang-tidy (scripts/tidy.sh, the checks in .clang-tidy; the layer check runs in
#   every build); then the
#   fast suite again under AddressSanitizer+UndefinedBehaviorSanitizer and the concurrent suites
#   (server, queue, worker, pipeline, worker processes) under ThreadSanitizer.
#   scripts/test.sh              everything above
#   scripts/test.sh --ci         everything above, then the slow suites and the benchmarks if the
#                                run so far left time for them (what .ci/run runs)
#   scripts/test.sh --heavy      everything above, the slow suites and the benchmarks
#   scripts/test.sh --slow-only  only the slow suites and the benchmarks
#   scripts/test.sh --unit       only the fast tests, plain build (no sanitizers, emulators, browser)
# The last line of output is the summary over every ctest run, "N passed, N failed[, N skipped]"
# (a failing check outside ctest, such as a build, the format check, the fuzz smoke or the benchmarks,
# adds one failure); the exit status is 1 if anything failed.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
readonly mode="${1:-default}"
readonly root="${PWD}"
readonly start_time=$(date +%s)
readonly junit_dir="${root}/build/junit"
# --ci runs the heavy part only if the rest took less than this (CI allows 90 minutes; the heavy part
# needs about 15).
readonly heavy_budget_minutes="${BOOKLIB_HEAVY_BUDGET_MINUTES:-45}"
# ccache (installed by install-deps.sh --test) may reuse objects compiled in another clone: paths
# relative to the repository, and no build directory in the hash (RelWithDebInfo embeds it).
export CCACHE_BASEDIR="${root}" CCACHE_NOHASHDIR=1
# A sanitizer report fails the test it happens in; tests/tsan.supp lists third-party internals only.
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=0"
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1"
export TSAN_OPTIONS="halt_on_error=1:second_deadlock_stack=1:suppressions=${root}/tests/tsan.supp"

# Checks outside ctest (builds, the format check, the fuzz smoke, benchmarks) that failed.
other_failed=0

log() { echo "test.sh: $*" >&2; }

# check <description> <command...>: runs a command that is not a ctest run; a failure counts as one.
check() {
  local description="$1"
  shift
  local began=$(date +%s)
  if "$@"; then
    log "${description}: ok ($(($(date +%s) - began)) s)"
  else
    other_failed=$((other_failed + 1))
    log "${description}: FAILED ($(($(date +%s) - began)) s)"
    return 1
  fi
}

# ctest_run <report name> <build dir> <ctest arguments...>: one ctest run, its JUnit report in
# build/junit/<report name>.xml. A selection that holds no test is not run (ctest would fail it with
# "No tests were found!!!").
ctest_run() {
  local name="$1" dir="$2"
  shift 2
  local total
  total=$(ctest --test-dir "${dir}" -N "$@" | sed -n 's/^Total Tests: \([0-9]*\)$/\1/p')
  if [[ "${total:-0}" -eq 0 ]]; then
    log "${name}: no tests selected, not run"
    return 0
  fi
  log "${name}: ${total} tests"
  ctest --test-dir "${dir}" --output-on-failure --timeout 600 --output-junit "${junit_dir}/${name}.xml" "$@"
}

# Prints "N passed, N failed[, N skipped]" over every JUnit report and the checks outside ctest.
print_summary() {
  local passed=0 failed=${other_failed} skipped=0 status
  shopt -s nullglob
  for report in "${junit_dir}"/*.xml; do
    while read -r status; do
      case "${status}" in
        run) passed=$((passed + 1)) ;;
        notrun | disabled) skipped=$((skipped + 1)) ;;
        *) failed=$((failed + 1)) ;;
      esac
    done < <(grep -o '<testcase [^>]*status="[a-z]*"' "${report}" | sed 's/.*status="\([a-z]*\)"$/\1/')
  done
  local line="${passed} passed, ${failed} failed"
  ((skipped == 0)) || line+=", ${skipped} skipped"
  echo "${line}"
  ((failed == 0))
}

# --- builds -------------------------------------------------------------------------------------
build_plain() {
  cmake -S . -B build/test -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null &&
    cmake --build build/test -j 2
}

# The debug preset (ASan+UBSan); everything but the benchmarks, which only a Release build measures.
build_asan() {
  cmake --preset debug -DBOOKLIB_SKIP_DIRS=bench >/dev/null && cmake --build build/debug -j 2
}

# The concurrent suites, run under TSan: their targets, and the suite names in them (the tsan test
# preset lists the same names).
readonly tsan_targets=(http_server_test sqlite_queue_test metadata_sync_test metadata_worker_test
  metadata_pipeline_test worker_process_test metrics_test)
readonly tsan_suites='^(HttpServer|SqliteQueue|MetadataSync|MetadataWorker|Pipeline|WorkerProcess|Metrics)'

# The tsan preset; only the targets of the concurrent suites (worker_process_test brings the binary).
build_tsan() {
  cmake --preset tsan -DBOOKLIB_SKIP_DIRS=bench >/dev/null &&
    cmake --build build/tsan -j 2 --target "${tsan_targets[@]}"
}

# --- steps ---------------------------------------------------------------------------------------
# Each returns non-zero if something in it failed; the caller goes on with the next step.
step_format() { check "format check" scripts/format.sh --check; }
step_tidy() { check "clang-tidy" scripts/tidy.sh build/test; }


step_plain_fast() { ctest_run plain-fast build/test -L fast -j 2; }

# DynamoDB and SQS emulators from npm on 127.0.0.1 for the emulator-labelled tests; without
# their endpoints those tests skip, so they must be running here.
step_emulators_start() {
  local exports
  exports=$(scripts/emulators.sh start) || {
    check "emulators start" false
    return 1
  }
  eval "${exports}"
  trap 'scripts/emulators.sh stop >/dev/null 2>&1 || true' EXIT
}
step_plain_emulator() { ctest_run plain-emulator build/test -L emulator; }
step_plain_aws() { ctest_run plain-aws build/test -L aws; }
step_plain_browser() { ctest_run plain-browser build/test -L browser; }

step_asan() {
  check "ASan+UBSan build" build_asan || return 1
  ctest_run asan-fast build/debug -L fast -j 2
}

step_tsan() {
  check "TSan build" build_tsan || return 1
  ctest_run tsan-concurrent build/tsan -R "${tsan_suites}"
}

# The libFuzzer targets (tests/fuzz) over their seeds plus a few thousand mutations each.
step_fuzz_smoke() { check "fuzz smoke" scripts/fuzz.sh smoke; }

step_slow() { ctest_run plain-slow build/test -L slow; }
step_bench() { check "benchmarks" bench/run.sh; }

heavy_fits() {
  local elapsed=$(($(date +%s) - start_time))
  if ((elapsed < heavy_budget_minutes * 60)); then return 0; fi
  log "slow suites and benchmarks skipped: ${elapsed} s spent, budget ${heavy_budget_minutes} min"
  return 1
}

# --- main ----------------------------------------------------------------------------------------
rm -rf "${junit_dir}"
mkdir -p "${junit_dir}"
scripts/install-deps.sh --test
failed=0
if ! check "plain build" build_plain; then
  print_summary || true
  exit 1
fi

case "${mode}" in
  --unit)
    step_plain_fast || failed=1
    ;;
  --slow-only)
    step_slow || failed=1
    step_bench || failed=1
    ;;
  default | --ci | --heavy)
    step_format || failed=1
    step_tidy || failed=1
    step_plain_fast || failed=1
    step_emulators_start || failed=1
    step_plain_emulator || failed=1
    step_plain_aws || failed=1
    step_plain_browser || failed=1
    step_asan || failed=1
    step_tsan || failed=1
    step_fuzz_smoke || failed=1
    if [[ "${mode}" == "--heavy" ]] || { [[ "${mode}" == "--ci" ]] && heavy_fits; }; then
      step_slow || failed=1
      step_bench || failed=1
    fi
    ;;
  *)
    log "unknown mode ${mode}; see the comment at the top of $0"
    exit 2
    ;;
esac

log "done in $(($(date +%s) - start_time)) s"
print_summary || failed=1
exit "${failed}"
