#!/usr/bin/env bash
# Browser tests: headless Chromium against a real `booklib serve` (harness.mjs holds what they share).
#   tests/browser/run.sh BUILD_DIR [TEST...]
# TEST is add_book_photo (adds books on /add_book from barcode photos), add_book_search (adds books
# found by title or author against a fake Google Books and Open Library), library_page (the library
# page at 390 and 1366 px: covers, controls, keyboard, dark mode, paging and filters) or library_updates (the
# library page follows background metadata lookups against a fake provider: PENDING -> SYNCED,
# FAILED -> Enter details / Retry; covers served by booklib from an https cover host whose throwaway
# certificate openssl makes); without one, all run, in that order, each in its own work folder.
# Needs a complete build in BUILD_DIR (src/cli/booklib, tests/browser/make_barcode_photo); builds
# nothing itself. Needs Debian's chromium and Node 18 or later (scripts/install-deps.sh --test) and the
# openssl command; installs playwright-core with `npm ci` when needed and never downloads a browser.
# Keeps the work folder (server logs, screenshots) when a test fails, or always with KEEP_WORK_DIR=1.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
build_dir="$(cd "${1:?usage: tests/browser/run.sh BUILD_DIR [add_book_photo|library_page|library_updates]...}" && pwd)"
shift
tests=("$@")
[[ ${#tests[@]} -gt 0 ]] || tests=(add_book_photo add_book_search book_page library_page library_updates account_tokens)
for name in "${tests[@]}"; do
  [[ -f "${here}/${name}.test.mjs" ]] || { echo "run.sh: no test ${name} (${here}/${name}.test.mjs)" >&2; exit 2; }
done
booklib="${build_dir}/src/cli/booklib"
make_photo="${build_dir}/tests/browser/make_barcode_photo"
chromium="${CHROMIUM:-/usr/bin/chromium}"

needed_files=("${booklib}" "${chromium}")
[[ " ${tests[*]} " != *" add_book_photo "* ]] || needed_files+=("${make_photo}")
for needed in "${needed_files[@]}"; do
  [[ -x "${needed}" ]] || { echo "run.sh: ${needed} is missing: build everything first (cmake --build ${build_dir}), and install chromium (scripts/install-deps.sh --test)" >&2; exit 1; }
done
command -v node >/dev/null || { echo "run.sh: node is missing (scripts/install-deps.sh --test)" >&2; exit 1; }
[[ " ${tests[*]} " != *" library_updates "* ]] || command -v openssl >/dev/null \
  || { echo "run.sh: openssl is missing (library_updates makes a certificate with it)" >&2; exit 1; }

# npm ci when node_modules is missing or holds another playwright-core than package.json pins.
wanted="$(node -p "require('${here}/package.json').dependencies['playwright-core']")"
installed="$(node -p "require('${here}/node_modules/playwright-core/package.json').version" 2>/dev/null || true)"
if [[ "${installed}" != "${wanted}" ]]; then
  (cd "${here}" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error) >&2
fi

work_dir="$(mktemp -d "${TMPDIR:-/tmp}/booklib-browser.XXXXXX")"
# shellcheck disable=SC2317  # called by the EXIT trap
cleanup() {
  local status=$?
  if [[ ${status} -eq 0 && "${KEEP_WORK_DIR:-0}" != 1 ]]; then rm -rf "${work_dir}"; else echo "run.sh: kept ${work_dir}" >&2; fi
}
trap cleanup EXIT

# add_book_photo: two photos, one book added through the form, one in "Keep scanning" mode. A third
# book is filmed by Chromium's fake camera, whose .mjpeg video is JPEG frames back to back (here
# one, repeated).
make_photos() {
  local dir="$1"
  mkdir -p "${dir}/photos" "${dir}/camera"
  "${make_photo}" 9780306406157 "${dir}/photos/9780306406157.jpg" 1
  "${make_photo}" 9791032305690 "${dir}/photos/9791032305690.jpg" 2
  "${make_photo}" 9780140449136 "${dir}/camera/frame.jpg" 3
  for _ in 1 2 3 4 5; do cat "${dir}/camera/frame.jpg"; done >"${dir}/camera/9780140449136.mjpeg"
}

# Each test in the background so that a TERM or INT sent to this script (a CTest timeout) reaches
# it, and it then stops its server and browsers.
test_pid=""
interrupted=0
trap 'interrupted=1; [[ -z "${test_pid}" ]] || kill -TERM "${test_pid}" 2>/dev/null || true' TERM INT HUP
failed=()
for name in "${tests[@]}"; do
  # Interrupted from outside: start no further test.
  [[ ${interrupted} -eq 0 ]] || { failed+=("${name} (not run)"); continue; }
  test_dir="${work_dir}/${name}"
  mkdir -p "${test_dir}"
  [[ "${name}" != add_book_photo ]] || make_photos "${test_dir}"
  BOOKLIB_BINARY="${booklib}" BROWSER_WORK_DIR="${test_dir}" CHROMIUM="${chromium}" TMPDIR="${test_dir}" \
    node "${here}/${name}.test.mjs" &
  test_pid=$!
  status=0
  wait "${test_pid}" || status=$?
  # A trapped signal interrupts `wait`; wait again for the test to finish its cleanup.
  if kill -0 "${test_pid}" 2>/dev/null; then wait "${test_pid}" || status=$?; fi
  test_pid=""
  [[ ${status} -eq 0 ]] || failed+=("${name}")
done
if [[ ${#failed[@]} -gt 0 ]]; then
  echo "run.sh: failed: ${failed[*]}" >&2
  exit 1
fi
