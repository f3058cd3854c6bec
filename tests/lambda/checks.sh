# shellcheck shell=bash
# Sourced by the shell tests in tests/lambda: counts checks and reports them the same way.
#   check DESCRIPTION COMMAND...   runs COMMAND; prints "ok: ..." or "FAILED: ..." and counts it
#   report_checks                  prints "N passed, M failed"; succeeds only if none failed
passed=0
failed=0

check() {  # check DESCRIPTION COMMAND...
  local description="$1"; shift
  if "$@"; then
    echo "ok: $description"; passed=$((passed + 1))
  else
    echo "FAILED: $description"; failed=$((failed + 1))
  fi
}

report_checks() {
  echo "$passed passed, $failed failed"
  [[ "$failed" -eq 0 ]]
}
