#!/usr/bin/env bash
# Browser test: headless Chromium adds books on /add_book from barcode photos (add_book_photo.test.mjs).
#   tests/browser/run.sh BUILD_DIR
# Needs a complete build in BUILD_DIR (src/cli/booklib, tests/browser/make_barcode_photo); builds
# nothing itself. Needs Debian's chromium and Node 20 (scripts/install-deps.sh --test); installs
# playwright-core with `npm ci` when needed and never downloads a browser.
# Keeps the work folder (server log, screenshots) when the test fails, or always with KEEP_WORK_DIR=1.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
build_dir="$(cd "${1:?usage: tests/browser/run.sh BUILD_DIR}" && pwd)"
booklib="${build_dir}/src/cli/booklib"
make_photo="${build_dir}/tests/browser/make_barcode_photo"
chromium="${CHROMIUM:-/usr/bin/chromium}"

for needed in "${booklib}" "${make_photo}" "${chromium}"; do
  [[ -x "${needed}" ]] || { echo "run.sh: ${needed} is missing: build everything first (cmake --build ${build_dir}), and install chromium (scripts/install-deps.sh --test)" >&2; exit 1; }
done
command -v node >/dev/null || { echo "run.sh: node is missing (scripts/install-deps.sh --test)" >&2; exit 1; }

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

# Two photos: one book added through the form, one in "Keep scanning" mode. A third book is filmed
# by Chromium's fake camera, whose .mjpeg video is JPEG frames back to back (here one, repeated).
mkdir -p "${work_dir}/photos" "${work_dir}/camera"
"${make_photo}" 9780306406157 "${work_dir}/photos/9780306406157.jpg" 1
"${make_photo}" 9791032305690 "${work_dir}/photos/9791032305690.jpg" 2
"${make_photo}" 9780140449136 "${work_dir}/camera/frame.jpg" 3
for _ in 1 2 3 4 5; do cat "${work_dir}/camera/frame.jpg"; done >"${work_dir}/camera/9780140449136.mjpeg"

# In the background so that a TERM or INT sent to this script (a CTest timeout) reaches the test,
# which then stops its server and browsers.
BOOKLIB_BINARY="${booklib}" BROWSER_WORK_DIR="${work_dir}" CHROMIUM="${chromium}" TMPDIR="${work_dir}" \
  node "${here}/add_book_photo.test.mjs" &
test_pid=$!
trap 'kill -TERM "${test_pid}" 2>/dev/null || true' TERM INT HUP
status=0
wait "${test_pid}" || status=$?
# A trapped signal interrupts `wait`; wait again for the test to finish its cleanup.
if kill -0 "${test_pid}" 2>/dev/null; then wait "${test_pid}" || status=$?; fi
exit "${status}"
