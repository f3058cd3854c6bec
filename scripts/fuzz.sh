#!/usr/bin/env bash
# Builds and runs the libFuzzer targets of tests/fuzz (clang-19 with libclang-rt-19-dev, from
# scripts/install-deps.sh --test), in build/fuzz.
#   scripts/fuzz.sh build                    configure and build every target
#   scripts/fuzz.sh smoke                    each target over its seed corpus plus a few thousand
#                                            mutations (about 20 s at most each); fails on a crash
#   scripts/fuzz.sh run MINUTES [TARGET...]  each target (default: all) for MINUTES, one after the
#                                            other; new inputs kept in build/fuzz-corpus/<target>
#                                            (git-ignored), and the target's row of the results
#                                            table in docs/FUZZING.md replaced by this run's
# Crash reproducers are written to build/fuzz-artifacts/; replay one with
#   build/fuzz/tests/fuzz/<target>_fuzzer <file>
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
readonly root="${PWD}"
readonly build_dir="${root}/build/fuzz"
readonly bin_dir="${build_dir}/tests/fuzz"
readonly seeds_dir="${root}/tests/fuzz/corpus"
readonly kept_dir="${root}/build/fuzz-corpus"
readonly artifacts_dir="${root}/build/fuzz-artifacts"
readonly results_doc="${root}/docs/FUZZING.md"
readonly all_targets=(http_request form multipart cookies isbn provider_json api_gateway_event)
# The fuzz build leaves out what no target links (the SQLite and AWS adapters, the scanner, the
# binary, the end-to-end tests and benchmarks).
readonly skip_dirs="sqlite;store/sqlite;queue;queue/sqs;scan;aws;store/dynamodb;cli;tests;bench"
export CCACHE_BASEDIR="${root}" CCACHE_NOHASHDIR=1
# A leak or a UB report is a crash too (UBSan is built with -fno-sanitize-recover).
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}"
# Stack traces with function names and lines (Debian's llvm-symbolizer reads clang 19's DWARF).
if [[ -z "${ASAN_SYMBOLIZER_PATH:-}" ]] && command -v llvm-symbolizer >/dev/null 2>&1; then
  export ASAN_SYMBOLIZER_PATH="$(command -v llvm-symbolizer)"
fi

log() { echo "fuzz.sh: $*" >&2; }

build() {
  CC=clang-19 CXX=clang++-19 cmake -S . -B "${build_dir}" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DBOOKLIB_FUZZ=ON -DBOOKLIB_WERROR=OFF "-DBOOKLIB_SKIP_DIRS=${skip_dirs}" >/dev/null
  cmake --build "${build_dir}" -j 2 --target check_layers "${all_targets[@]/%/_fuzzer}"
}

dictionary_of() {
  case "$1" in
    http_request) echo "${root}/tests/fuzz/http_request.dict" ;;
    provider_json | api_gateway_event) echo "${root}/tests/fuzz/json.dict" ;;
    *) echo "" ;;
  esac
}

# fuzz <target> <log file> <libFuzzer flags...>: runs a target over a scratch or kept corpus
# directory (first, where new inputs go) and its seeds.
fuzz() {
  local target="$1" log_file="$2" corpus="$3"
  shift 3
  local dict
  dict=$(dictionary_of "${target}")
  mkdir -p "${corpus}" "${artifacts_dir}"
  "${bin_dir}/${target}_fuzzer" -timeout=25 -artifact_prefix="${artifacts_dir}/${target}-" \
    ${dict:+-dict="${dict}"} "$@" "${corpus}" "${seeds_dir}/${target}" >"${log_file}" 2>&1
}

smoke() {
  local failed=0 scratch
  scratch=$(mktemp -d)
  for target in "${all_targets[@]}"; do
    local began=$(date +%s)
    if fuzz "${target}" "${scratch}/${target}.log" "${scratch}/${target}" -runs=4000 -max_total_time=20; then
      log "${target}: ok ($(($(date +%s) - began)) s, $(grep -c . <(ls "${seeds_dir}/${target}")) seeds)"
    else
      failed=1
      log "${target}: CRASHED; its output:"
      tail -n 60 "${scratch}/${target}.log" >&2
    fi
  done
  rm -rf "${scratch}"
  return "${failed}"
}

# record <target> <minutes> <log file> <crashes>: this run's row (minutes as spent: a crash ends a
# run early) in docs/FUZZING.md's table,
# replacing the target's previous row (under a lock: two runs may finish at once).
record() {
  local target="$1" minutes="$2" log_file="$3" crashes="$4"
  local executions rate status_line cov ft machine row
  executions=$(sed -n 's/^stat::number_of_executed_units: *//p' "${log_file}" | tail -n 1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "${log_file}" | tail -n 1)
  status_line=$(grep -E '^#[0-9]+.* cov: ' "${log_file}" | tail -n 1)
  cov=$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<<"${status_line}")
  ft=$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' <<<"${status_line}")
  machine="$(nproc) x $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1), shared"
  row="| ${target} | $(date -u +%Y-%m-%d\ %H:%M) UTC | ${machine} | ${minutes} | ${executions:-?} | ${rate:-?} | ${cov:-?} | ${ft:-?} | ${crashes} |"
  (
    flock 9
    local table_end
    table_end=$(grep -n '^<!-- fuzz-results:end -->$' "${results_doc}" | cut -d: -f1)
    [[ -n "${table_end}" ]] || {
      log "no <!-- fuzz-results:end --> marker in ${results_doc}"
      exit 1
    }
    grep -v "^| ${target} |" "${results_doc}" | awk -v row="${row}" '
      /^<!-- fuzz-results:end -->$/ { print row }
      { print }' >"${results_doc}.new"
    mv "${results_doc}.new" "${results_doc}"
  ) 9>"${results_doc}.lock"
  rm -f "${results_doc}.lock"
  log "${target}: ${executions:-?} executions, ${rate:-?}/s, cov ${cov:-?}, ft ${ft:-?}, crashes ${crashes}"
}

run() {
  local minutes="$1"
  shift
  local targets=("$@") failed=0
  ((${#targets[@]} > 0)) || targets=("${all_targets[@]}")
  mkdir -p "${kept_dir}"
  for target in "${targets[@]}"; do
    local log_file="${kept_dir}/${target}.log" before after crashes=0 began spent
    began=$(date +%s)
    before=$(find "${artifacts_dir}" -name "${target}-*" 2>/dev/null | wc -l)
    log "${target}: fuzzing for ${minutes} min (log ${log_file})"
    fuzz "${target}" "${log_file}" "${kept_dir}/${target}" -max_total_time=$((minutes * 60)) \
      -print_final_stats=1 || failed=1
    after=$(find "${artifacts_dir}" -name "${target}-*" 2>/dev/null | wc -l)
    crashes=$((after - before))
    spent=$(($(date +%s) - began))
    record "${target}" "$((spent / 60)).$((spent % 60 * 10 / 60))" "${log_file}" "${crashes}"
  done
  return "${failed}"
}

case "${1:-}" in
  build) build ;;
  smoke) build && smoke ;;
  run)
    [[ "${2:-}" =~ ^[0-9]+$ ]] || {
      log "usage: scripts/fuzz.sh run MINUTES [TARGET...]"
      exit 2
    }
    minutes="$2"
    shift 2
    build && run "${minutes}" "$@"
    ;;
  *)
    log "usage: scripts/fuzz.sh build | smoke | run MINUTES [TARGET...]"
    exit 2
    ;;
esac
