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
  # Every file of ours the build compiles (so not the layer check's fixtures in tests/layers/, nor
  # the fuzz targets, which only the clang fuzz build compiles).
  mapfile -t files < <(sed -n 's#^ *"file": "'"${PWD}"'/\(\(src\|tests\)/[^"]*\.cc\)",\?$#\1#p' \
    "${build_dir}/compile_commands.json" | sort -u)
fi
log="$(mktemp)"
trap 'rm -f "${log}"' EXIT
# Files found clean are remembered by a key over everything their result depends on: clang-tidy's
# version, .clang-tidy, the checks switched off for the file, its compile command (the checkout's path
# taken out) and the file as the compiler sees it after preprocessing (so every header it includes,
# the system's too). A file whose key was seen clean before is not checked again; a file with
# warnings is never remembered. Without the cache a full run takes 20-40 minutes on 2 cores.
cache_dir="${BOOKLIB_TIDY_CACHE:-${XDG_CACHE_HOME:-${HOME}/.cache}/booklib-tidy}"
mkdir -p "${cache_dir}"
config_key="$({ "${tidy}" --version; cat .clang-tidy; } | sha256sum | cut -d' ' -f1)"
# One file per clang-tidy process, as many at once as there are cores; --quiet drops the summary lines.
# Tests call .value() on optionals and expecteds on purpose (an empty one throws and fails the
# test), so bugprone-unchecked-optional-access is for the code they test, not for them.
run_tidy() {
  local file="$1" extra=() command key
  [[ "${file}" != *_test.cc ]] || extra=(--checks=-bugprone-unchecked-optional-access)
  # The compile command of the file, turned into one that preprocesses it to standard output.
  command="$(awk -v want="\"file\": \"${PWD}/${file}\"" '
      /"command":/ { line = $0 }
      index($0, want) { print line; exit }' "${build_dir}/compile_commands.json" |
    sed 's/^ *"command": "\(.*\)",$/\1/; s/\\"/"/g')"
  if [[ -n "${command}" ]]; then
    local preprocess
    preprocess="$(sed 's/ -o [^ ]* -c / -E -P -C /' <<<"${command}")"
    # Comments are kept (a NOLINT changes the result). A file that does not preprocess is checked
    # and never remembered.
    if key="$(set -o pipefail; { echo "${config_key} ${extra[*]}"; sed "s#${PWD}#.#g" <<<"${command}";
      (cd "${build_dir}" && eval "${preprocess}" 2>/dev/null); } | sha256sum | cut -d' ' -f1)"; then
      [[ ! -e "${cache_dir}/${key}" ]] || return 0
    else
      key=""
    fi
  fi
  local output
  output="$("${tidy}" --quiet -p "${build_dir}" "${extra[@]}" "${file}" 2>/dev/null)" || true
  printf '%s\n' "${output}"
  if [[ -n "${key:-}" ]] && ! grep -q ': warning: \|: error: ' <<<"${output}"; then
    touch "${cache_dir}/${key}"
  fi
}
export -f run_tidy
export tidy build_dir cache_dir config_key
printf '%s\n' "${files[@]}" | xargs -P "$(nproc)" -I{} bash -c 'run_tidy "$1"' _ {} >"${log}" 2>/dev/null || true
warnings="$(grep -c ': warning: \|: error: ' "${log}" || true)"
if [[ "${warnings}" -ne 0 ]]; then
  grep -A3 ': warning: \|: error: ' "${log}" >&2
  echo "tidy: ${warnings} warnings in ${#files[@]} files ($(($(date +%s) - started)) s)" >&2
  exit 1
fi
echo "tidy: ${#files[@]} files clean ($(($(date +%s) - started)) s)" >&2
