#!/usr/bin/env bash
# Runs clang-tidy (the checks named in .clang-tidy) over every source file under src/ and tests/,
# with the compile commands of a build; fails on any warning. scripts/test.sh runs it.
#   scripts/tidy.sh [BUILD_DIR [FILES...]]   BUILD_DIR defaults to build/test (configure it first:
#                                            compile_commands.json); FILES (.cc files) check only those
# Debian 12's default clang-tidy (14) cannot parse C++23's <expected>; 19 from bookworm can
# (scripts/install-deps.sh --test installs it).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
build_dir="${1:-build/test}"
(($# == 0)) || shift
started=$(date +%s)
tidy="$(command -v clang-tidy-19 || true)"
[[ -n "${tidy}" ]] || { echo "tidy: clang-tidy-19 is missing (scripts/install-deps.sh --test)" >&2; exit 1; }
[[ -f "${build_dir}/compile_commands.json" ]] || { echo "tidy: no ${build_dir}/compile_commands.json: configure the build first" >&2; exit 1; }

if (($# > 0)); then
  files=("$@")
  for file in "${files[@]}"; do
    [[ -f "${file}" ]] || { echo "tidy: no such file: ${file}" >&2; exit 1; }
  done
else
  # tests/layers/ holds fixtures that the layer check must refuse; nothing compiles them.
  mapfile -t files < <(git ls-files 'src/*.cc' 'tests/*.cc' ':!tests/layers/*' | sort)
fi
log="$(mktemp)"
trap 'rm -f "${log}"' EXIT
# One file per clang-tidy process, as many at once as there are cores; --quiet drops the summary lines.
# Tests call .value() on optionals and expecteds on purpose (an empty one throws and fails the
# test), so bugprone-unchecked-optional-access is for the code they test, not for them.
run_tidy() {
  local extra=()
  [[ "$1" != *_test.cc ]] || extra=(--checks=-bugprone-unchecked-optional-access)
  "${tidy}" --quiet -p "${build_dir}" "${extra[@]}" "$1"
}
export -f run_tidy
export tidy build_dir
printf '%s\n' "${files[@]}" | xargs -P "$(nproc)" -I{} bash -c 'run_tidy "$1"' _ {} >"${log}" 2>/dev/null || true
warnings="$(grep -c ': warning: \|: error: ' "${log}" || true)"
if [[ "${warnings}" -ne 0 ]]; then
  grep -A3 ': warning: \|: error: ' "${log}" >&2
  echo "tidy: ${warnings} warnings in ${#files[@]} files ($(($(date +%s) - started)) s)" >&2
  exit 1
fi
echo "tidy: ${#files[@]} files clean ($(($(date +%s) - started)) s)" >&2
