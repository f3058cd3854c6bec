#!/usr/bin/env bash
# Packages a Lambda binary with scripts/package-lambda.sh, unzips it into a clean directory and runs its
# `bootstrap` with an empty environment except AWS_LAMBDA_RUNTIME_API, against a fake Runtime API:
# the function must fetch the event and post the response, using only the bundled loader and libraries.
#
# Usage: tests/lambda/packaged_bootstrap_test.sh BINARY
#   BINARY is the real `booklib` (its `lambda` command in BOOKLIB_MODE=api answers an API Gateway
#   event for GET /health), or booklib_lambda_echo, which echoes each event.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
binary="$(realpath "${1:?usage: packaged_bootstrap_test.sh BINARY}")"
work="$(mktemp -d)"
runtime_pid=""

cleanup() {
  if [[ -n "$runtime_pid" ]]; then kill "$runtime_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

# shellcheck source=tests/lambda/checks.sh
source "$repo/tests/lambda/checks.sh"

is_real_booklib() { [[ "$(basename "$binary")" == "booklib" ]]; }

start_fake_runtime() {
  if is_real_booklib; then
    printf '%s' '{"version":"2.0","routeKey":"$default","rawPath":"/health","rawQueryString":"","headers":{"accept":"application/json"},"requestContext":{"http":{"method":"GET","path":"/health","protocol":"HTTP/1.1","sourceIp":"203.0.113.9"},"requestId":"api-req-1"},"isBase64Encoded":false}' >"$work/event.json"
  else
    printf '%s' '{"Records":[{"messageId":"m-1","body":"{\"user_book_id\":\"ub-1\"}"}]}' >"$work/event.json"
  fi
  : >"$work/requests.jsonl"
  coproc RUNTIME { exec node "$repo/tests/lambda/fake_runtime.mjs" "$work/event.json" "$work/requests.jsonl"; }
  # shellcheck disable=SC2153  # RUNTIME_PID is set by coproc
  runtime_pid="$RUNTIME_PID"
  read -r -t 10 port <&"${RUNTIME[0]}"
}

# Every path the process opened a library from: must be inside the unpacked package.
libraries_loaded_from_package() {
  local task="$1" debug_log="$work/ld-debug.log"
  (cd "$task" && env -i LD_DEBUG=libs ./ld-linux-x86-64.so.2 --library-path ./lib ./booklib 2>"$debug_log" >/dev/null) || true
  grep -q 'calling init: ./lib/libc.so.6' "$debug_log" && ! grep -E 'calling init: /(usr/)?lib' "$debug_log"
}

posted_response_is_healthy() {
  grep -F '"path":"/2018-06-01/runtime/invocation/packaged-req-1/response"' "$work/requests.jsonl" |
    node -e 'let t="";process.stdin.on("data",d=>t+=d).on("end",()=>{
      const posted=JSON.parse(JSON.parse(t.trim().split("\n")[0]).body);
      process.exit(posted.statusCode===200 && JSON.parse(posted.body).status==="healthy"?0:1);})'
}

posted_response_is_the_event() {
  grep -F '"path":"/2018-06-01/runtime/invocation/packaged-req-1/response"' "$work/requests.jsonl" |
    node -e 'let t="";process.stdin.on("data",d=>t+=d).on("end",()=>{
      const posted=JSON.parse(t.trim().split("\n")[0]).body;
      const event=require("fs").readFileSync(process.argv[1],"utf8");
      process.exit(posted===event?0:1);})' "$work/event.json"
}

main() {
  "$repo/scripts/package-lambda.sh" --binary "$binary" --output "$work/booklib-lambda.zip"
  mkdir "$work/task"
  unzip -q "$work/booklib-lambda.zip" -d "$work/task"
  check "the zip has an executable bootstrap" test -x "$work/task/bootstrap"
  check "the zip bundles the loader and glibc" test -f "$work/task/ld-linux-x86-64.so.2" -a -f "$work/task/lib/libc.so.6"
  check "libraries load from the package, not the system" libraries_loaded_from_package "$work/task"

  start_fake_runtime
  local status=0
  # As on Lambda: only the Runtime API address, the function's settings, and /tmp writable.
  (cd / && env -i AWS_LAMBDA_RUNTIME_API="127.0.0.1:$port" BOOKLIB_MODE=api BOOKLIB_DATA_DIR="$work/tmp" \
     SECRET_KEY="packaged-bootstrap-test-secret-key-0123456789" timeout 30 "$work/task/bootstrap") \
    >"$work/bootstrap.log" 2>&1 || status=$?
  check "bootstrap fetched the event" grep -q '"path":"/2018-06-01/runtime/invocation/next"' "$work/requests.jsonl"
  if is_real_booklib; then
    check "booklib answered GET /health through API Gateway payload 2.0" posted_response_is_healthy
  else
    check "bootstrap posted the echoed event as the response" posted_response_is_the_event
  fi
  check "bootstrap asked for a second event" test "$(grep -c '/invocation/next' "$work/requests.jsonl")" -ge 2
  check "bootstrap exited with status 1 when the runtime went away (got $status)" test "$status" -eq 1
  if [[ "$failed" -gt 0 ]]; then
    echo "--- bootstrap output"; cat "$work/bootstrap.log"
    echo "--- requests"; cat "$work/requests.jsonl"
  fi
  report_checks
}

main
