#!/usr/bin/env bash
# The API document's tests (Node, from npm: Ajv and Redocly CLI, pinned in package.json):
#   tests/api/run.sh BUILD_DIR walk   every operation of /api/v1/openapi.json called on a real
#                                     `booklib serve`, each answer checked against the document
#   tests/api/run.sh BUILD_DIR lambda-walk
#                                     the same walk through the Lambda adapter (`booklib lambda` on
#                                     the DynamoDB/SQS emulators, behind lambda_walk.mjs's API Gateway)
#   tests/api/run.sh BUILD_DIR lint   src/web/api/openapi.json linted (redocly.yaml: every problem fails)
# With API_BASE_URL set, `walk` calls that server instead of starting one. Installs the packages
# with `npm ci` when node_modules is missing or stale. Keeps the work folder with KEEP_WORK_DIR=1.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
build_dir="$(cd "${1:?usage: tests/api/run.sh BUILD_DIR walk|lint}" && pwd)"
what="${2:?usage: tests/api/run.sh BUILD_DIR walk|lint}"
command -v node >/dev/null || { echo "run.sh: node is missing (scripts/install-deps.sh --test)" >&2; exit 1; }
stamp="${here}/node_modules/.booklib-lock"
if ! cmp -s "${here}/package-lock.json" "${stamp}" 2>/dev/null; then
  (cd "${here}" && npm ci --no-audit --no-fund --loglevel=error) >&2
  cp "${here}/package-lock.json" "${stamp}"
fi
if [[ "${what}" == "lambda-walk" && -z "${AWS_ENDPOINT_URL_DYNAMODB:-}" ]]; then
  echo "run.sh: the DynamoDB/SQS emulators are not configured (eval \"\$(scripts/emulators.sh start)\"): skipped" >&2
  exit 77
fi
case "${what}" in
  lint)
    cd "${here}"
    exec node node_modules/@redocly/cli/bin/cli.js lint --config redocly.yaml "${here}/../../src/web/api/openapi.json"
    ;;
  walk | lambda-walk)
    script="${here}/walk.test.mjs"
    [[ "${what}" == "walk" ]] || script="${here}/lambda_walk.mjs"
    work="$(mktemp -d "${TMPDIR:-/tmp}/booklib-api.XXXXXX")"
    status=0
    API_WORK_DIR="${work}" BOOKLIB_BINARY="${build_dir}/src/cli/booklib" \
      MAKE_BARCODE_PHOTO="${build_dir}/tests/browser/make_barcode_photo" node "${script}" || status=$?
    if [[ ${status} -ne 0 || "${KEEP_WORK_DIR:-0}" == "1" ]]; then
      echo "run.sh: work folder kept: ${work}" >&2
      [[ ${status} -eq 0 ]] || tail -n 30 "${work}/server.log" >&2 || true
    else
      rm -rf "${work}"
    fi
    exit ${status}
    ;;
  *) echo "run.sh: unknown test ${what} (walk, lambda-walk or lint)" >&2; exit 2 ;;
esac
