#!/usr/bin/env bash
# Packages a Lambda binary with scripts/package-lambda.sh, unzips it into a clean directory and runs its
# `bootstrap` with an empty environment except AWS_LAMBDA_RUNTIME_API, against a fake Runtime API:
# the function must fetch the event and post the response, using only the bundled loader and libraries.
#
# Usage: tests/lambda/packaged_bootstrap_test.sh BINARY
#   BINARY answers `BINARY lambda` by echoing each event (build target booklib_lambda_echo), until the
#   `booklib lambda` subcommand exists to package instead.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
binary="$(realpath "${1:?usage: packaged_bootstrap_test.sh BINARY}")"
work="$(mktemp -d)"
runtime_pid=""
passed=0
failed=0

cleanup() {
  if [[ -n "$runtime_pid" ]]; then kill "$runtime_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

check() {  # check DESCRIPTION COMMAND...
  local description="$1"; shift
  if "$@"; then
    echo "ok: $description"; passed=$((passed + 1))
  else
    echo "FAILED: $description"; failed=$((failed + 1))
  fi
}

start_fake_runtime() {
  printf '%s' '{"Records":[{"messageId":"m-1","body":"{\"user_book_id\":\"ub-1\"}"}]}' >"$work/event.json"
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
  (cd / && env -i AWS_LAMBDA_RUNTIME_API="127.0.0.1:$port" timeout 30 "$work/task/bootstrap") >"$work/bootstrap.log" 2>&1 ||
    status=$?
  check "bootstrap fetched the event" grep -q '"path":"/2018-06-01/runtime/invocation/next"' "$work/requests.jsonl"
  check "bootstrap posted the echoed event as the response" posted_response_is_the_event
  check "bootstrap asked for a second event" test "$(grep -c '/invocation/next' "$work/requests.jsonl")" -ge 2
  check "bootstrap exited with status 1 when the runtime went away (got $status)" test "$status" -eq 1
  if [[ "$failed" -gt 0 ]]; then
    echo "--- bootstrap output"; cat "$work/bootstrap.log"
    echo "--- requests"; cat "$work/requests.jsonl"
  fi
  echo "$passed passed, $failed failed"
  [[ "$failed" -eq 0 ]]
}

main
